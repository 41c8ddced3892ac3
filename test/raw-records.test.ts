import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { rawFiles, readRecords } from "../pipeline/raw-records.mjs"
import { decode, isReject, parseFile } from "../src/ingest.js"

const body = "قالت مصادر عسكرية إن القوات العراقية دخلت حي الزهراء في الموصل."
const folder = mkdtempSync(join(tmpdir(), "mna-raw-records-"))
const files: Record<string, string> = {
  "a.txt": `عنوان الخبر\n${body}`,
  "sub/b.json": JSON.stringify([{ title: "t", content: body }, { text: body, source: "s" }, 7]),
  "sub/deeper/c.jsonl": `${JSON.stringify({ text: body })}\nnot json\n\n${JSON.stringify({ content: body })}\n`,
  "d.csv": `title,text\r\n"a, b","${body} ""quoted"""\r\nc,${body}\r\n`,
  "bad.json": "{oops",
  "notes.md": body
}
for (const [file, text] of Object.entries(files)) {
  mkdirSync(dirname(join(folder, file)), { recursive: true })
  writeFileSync(join(folder, file), text)
}
afterAll(() => rmSync(folder, { recursive: true }))

describe("the bench's reader of raw folders", () => {
  it("lists every file under the folder, sorted, with / between folders", () => {
    expect(rawFiles(folder)).toEqual(["a.txt", "bad.json", "d.csv", "notes.md", "sub/b.json", "sub/deeper/c.jsonl"])
  })

  it("reads as many records from each file as the build does", async () => {
    for (const file of rawFiles(folder)) {
      const records = await readRecords(file, readFileSync(join(folder, file), "utf8"))
      const built = parseFile(file, decode(readFileSync(join(folder, file)))!).filter((r) => !isReject(r))
      expect([file, records.length]).toEqual([file, built.length])
      expect(records.length === 0 || records.every((r) => typeof r === "object" && r !== null)).toBe(true)
    }
  })
})
