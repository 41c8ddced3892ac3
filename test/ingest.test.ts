import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { decode, isReject, parseFile, splitTitle } from "../src/ingest.js"
import type { RawRecord, Reject } from "../src/types.js"
import { encodeWindows1256 } from "./helpers.js"

const utf8 = (s: string) => new TextEncoder().encode(s)
const text = "معركة الموصل"

describe("decode", () => {
  it("reads UTF-8 with and without BOM", () => {
    expect(decode(utf8(text))).toEqual({ text, encoding: "utf-8" })
    expect(decode(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]))).toEqual({ text, encoding: "utf-8-bom" })
  })

  it("reads any valid UTF-8 back to the same text, astral characters included", () => {
    const noNulOrBom = fc.string({ unit: "binary", maxLength: 200 }).filter((s) => !s.includes("\0") && !s.startsWith("\uFEFF"))
    fc.assert(
      fc.property(noNulOrBom, (s) => {
        expect(decode(utf8(s))).toEqual({ text: s, encoding: "utf-8" })
      })
    )
  })

  it("reads Windows-1256", () => {
    expect(decode(encodeWindows1256(text))).toEqual({ text, encoding: "windows-1256" })
  })

  it("reads UTF-16 with a BOM", () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...[...text].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])])
    expect(decode(bytes)?.text).toBe(text)
  })

  it("keeps mostly valid UTF-8 with a broken byte as UTF-8", () => {
    const long = utf8(text.repeat(20))
    const broken = new Uint8Array([...long.slice(0, 10), 0xff, ...long.slice(10)])
    expect(decode(broken)?.encoding).toBe("utf-8-repaired")
  })

  it("refuses binary data", () => {
    expect(decode(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toBeNull()
  })
})

describe("splitTitle", () => {
  it("takes a short first line as the title and offsets the body after it", () => {
    const { title, body } = splitTitle("عنوان الخبر\nنص الخبر الطويل.")
    expect(title?.value).toBe("عنوان الخبر")
    expect(body).toEqual({ value: "نص الخبر الطويل.", rawBase: 12 })
  })

  it("does not take a first paragraph that is a sentence", () => {
    expect(splitTitle("قال الوزير إن المعركة انتهت.\nثم غادر.").title).toBeNull()
  })
})

const records = (items: Array<RawRecord | Reject>) => items.filter((i): i is RawRecord => !isReject(i))
const rejects = (items: Array<RawRecord | Reject>) => items.filter(isReject)
const decoded = (s: string) => ({ text: s, encoding: "utf-8" })

describe("parseFile", () => {
  it("reads a JSON array with text or content and optional fields", () => {
    const items = parseFile("a/b.json", decoded(JSON.stringify([{ content: "نص", title: "عنوان", date_extracted: "2017-01-01", source: "x" }, { text: "نص آخر" }, { title: "بلا نص" }])))
    expect(records(items).map((r) => [r.record, r.text.value, r.title?.value ?? null, r.published])).toEqual([
      [0, "نص", "عنوان", "2017-01-01"],
      [1, "نص آخر", null, null]
    ])
    expect(rejects(items)).toEqual([{ source_file: "a/b.json", record: 2, reason: "missing_text", message: expect.any(String) }])
  })

  it("rejects a JSON object that is not an array", () => {
    expect(rejects(parseFile("x.json", decoded("{\"text\": \"نص\"}")))[0]?.reason).toBe("json_not_array")
  })

  it("keeps the good lines of a JSONL file with a broken line", () => {
    const items = parseFile("x.jsonl", decoded("{\"text\":\"أ\"}\n{broken\n\n{\"text\":\"ب\"}\n"))
    expect(records(items).map((r) => r.record)).toEqual([0, 2])
    expect(rejects(items).map((r) => [r.record, r.reason])).toEqual([[1, "invalid_json"]])
  })

  it("reads CSV with a header row and rejects CSV without a text column or with a broken quote", () => {
    expect(records(parseFile("x.csv", decoded("title,text\n\"عنوان, مع فاصلة\",\"نص\n بسطرين\"\n"))).map((r) => [r.title?.value, r.text.value])).toEqual([
      ["عنوان, مع فاصلة", "نص\n بسطرين"]
    ])
    expect(rejects(parseFile("x.csv", decoded("title,body\nأ,ب\n")))[0]?.reason).toBe("missing_text_column")
    expect(rejects(parseFile("x.csv", decoded("text\n\"أ\n")))[0]?.reason).toBe("invalid_csv")
  })

  it("rejects empty text files and unknown formats", () => {
    expect(rejects(parseFile("x.txt", decoded(" \n ")))[0]?.reason).toBe("empty_text")
    expect(rejects(parseFile("x.pdf", decoded("...")))[0]?.reason).toBe("unsupported_format")
  })
})
