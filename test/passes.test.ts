import { readdirSync, readFileSync } from "node:fs"
import { deserialize, serialize } from "node:v8"
import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { fromSpill, runLookup, toRuns, toSpill } from "../src/passes.js"
import { annotateRecord, normalizeRecord, segmentRecord, type NormalizedRecord } from "../src/record.js"
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

describe("spill files", () => {
  it("an article written to disk and read back annotates to the same rows", () => {
    const lexicon = buildLexicon([
      { id: "p:mosul", label: "PLACE", type: "CITY", en: "Mosul", ar: ["الموصل"] },
      { id: "a:isis", label: "ACTOR", type: "ARMED_GROUP", en: "ISIS", ar: ["داعش", "تنظيم داعش"] }
    ])
    for (const file of readdirSync("raw")) {
      const [raw] = parseFile(file, decode(readFileSync(`raw/${file}`))!)
      const segmented = segmentRecord(normalizeRecord(raw as never) as NormalizedRecord)
      const restored = fromSpill(deserialize(serialize(toSpill(segmented))))
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
        for (const { sentences } of [segmented, fromSpill(deserialize(serialize(toSpill(segmented))))]) {
          for (const s of sentences) expect(s.text).toBe(chars.slice(s.start, s.end).join(""))
        }
      }),
      { numRuns: 300 }
    )
  })
})
