import { readdirSync, readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { readArticle, runLookup, spillArticle, toRuns } from "../src/passes.js"
import { SpillReader, SpillWriter } from "../src/spill.js"
import { annotateRecord, normalizeRecord, segmentRecord, type NormalizedRecord, type SegmentedRecord } from "../src/record.js"
import { buildLexicon } from "../src/tag.js"
import { decode, parseFile } from "../src/ingest.js"

describe("offset maps as runs", () => {
  it("look up the same offsets as the map", () => {
    const map = fc.array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 5 })), { maxLength: 20 }).map((pieces) => {
      const src: Array<number> = []
      let value = 0
      for (const [length, gap] of pieces) for (let i = 0; i < length; i++) src.push((value += i === 0 ? gap : 1))
      return Int32Array.from(src)
    })
    fc.assert(
      fc.property(map, (src) => {
        const lookup = runLookup(toRuns(src))
        expect(Array.from(src, (_, i) => lookup.at(i))).toEqual(Array.from(src))
      })
    )
  })
})

/** An article written to a spill file and read back. */
const throughSpill = (segmented: SegmentedRecord) => {
  const out = new SpillWriter()
  spillArticle(out, segmented)
  const from = new SpillReader(out.written().slice())
  const article = readArticle(from)
  expect(from.done).toBe(true)
  return article
}

describe("spill files", () => {
  it("read back every number, array and string written, absent ones included", () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)) // lone surrogates too
    const text = fc.option(fc.string({ unit: codeUnit, maxLength: 40 }), { nil: null })
    const ints = fc.option(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 20 }).map((a) => Int32Array.from(a)), { nil: undefined })
    const value = fc.oneof(fc.record({ int: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }), fc.record({ text }), fc.record({ ints }))
    fc.assert(
      fc.property(fc.array(value, { maxLength: 30 }), fc.integer({ min: 0, max: 3 }), (values, offset) => {
        const out = new SpillWriter()
        for (const v of values) "int" in v ? out.int(v.int) : "text" in v ? out.string(v.text) : out.ints(v.ints)
        const bytes = new Uint8Array(offset + out.written().length)
        bytes.set(out.written(), offset)
        const from = new SpillReader(bytes.subarray(offset))
        expect(values.map((v) => ("int" in v ? { int: from.int() } : "text" in v ? { text: from.string() } : { ints: from.ints() }))).toEqual(values)
        expect(from.done).toBe(true)
      })
    )
  })

  it("an article written to disk and read back annotates to the same rows", () => {
    const lexicon = buildLexicon([
      { id: "p:mosul", label: "PLACE", type: "CITY", en: "Mosul", ar: ["الموصل"] },
      { id: "a:isis", label: "ACTOR", type: "ARMED_GROUP", en: "ISIS", ar: ["داعش", "تنظيم داعش"] }
    ])
    for (const file of readdirSync("raw")) {
      const [raw] = parseFile(file, decode(readFileSync(`raw/${file}`))!)
      const segmented = segmentRecord(normalizeRecord(raw as never) as NormalizedRecord)
      const restored = throughSpill(segmented)
      const rows = annotateRecord(segmented, lexicon)
      expect(rows.sentences.length).toBeGreaterThan(0)
      expect(rows.mentions.length).toBeGreaterThan(0)
      expect(annotateRecord(restored, lexicon)).toEqual(rows)
    }
  })
})

describe("sentence offsets with characters outside the BMP (emoji, math letters)", () => {
  it("slice back to each sentence's text, before and after the spill", () => {
    const piece = fc.constantFrom("الموصل", "مدينة", "😀", "𝐀", " ", ". ", "، ", "\n", "داعش")
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 40 }).map((a) => `${a.join("")} الموصل.`), (text) => {
        const raw = { sourceFile: "t.txt", record: 0, encoding: "utf-8", title: null, text: { value: text, rawBase: 0 }, url: null, source: null, author: null, published: null }
        const normalized = normalizeRecord(raw as never) as NormalizedRecord
        const chars = [...normalized.text.text]
        const segmented = segmentRecord(normalized)
        for (const { sentences } of [segmented, throughSpill(segmented)]) {
          for (const s of sentences) expect(s.text).toBe(chars.slice(s.start, s.end).join(""))
        }
      }),
      { numRuns: 300 }
    )
  })
})

describe("record metadata", () => {
  it("keeps an author's name on one line, with single spaces", () => {
    const raw = (author: string | null) =>
      ({ sourceFile: "t.txt", record: 0, encoding: "utf-8", title: null, text: { value: "دخلت القوات مدينة الموصل.", rawBase: 0 }, url: null, source: null, author, published: null }) as never
    expect((normalizeRecord(raw("محمد\tفايع  الشهري\n")) as NormalizedRecord).author).toBe("محمد فايع الشهري")
    expect((normalizeRecord(raw("\u001a \t")) as NormalizedRecord).author).toBeNull()
  })
})
