import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { DedupIndex, estimatedJaccard, repeatedSentences, shingleHashes, signature } from "../src/dedup.js"
import { cleanText, normalizeForMatch } from "../src/normalize.js"

const params = { shingle: 4, bands: 16, rows: 4, threshold: 0.65 }
const norm = (raw: string) => normalizeForMatch(cleanText(raw).text)
const seed = (name: string) => readFileSync(`raw/${name}`, "utf8")

describe("exact deduplication", () => {
  it("ignores formatting, diacritics, tatweel and orthographic variants", () => {
    const index = new DedupIndex(params)
    expect(index.check("a", norm("أعلنت القوات العراقية تحرير الموصل."))).toBeNull()
    expect(index.check("b", norm("  اعلنت   القـوات العِراقية\nتحرير الموصل ."))).toEqual({ keptDocId: "a", kind: "exact", similarity: 1 })
  })
})

describe("near deduplication", () => {
  const original = seed("002_c2e5c0be16892a5a.txt")
  const words = original.split(" ")

  it("finds a copy with 2% of its words replaced and a footer added, pointing to the kept article", () => {
    const index = new DedupIndex(params)
    expect(index.check("kept", norm(original))).toBeNull()
    const edited = words.map((w, i) => (i % 50 === 7 ? "كلمة" : w)).join(" ") + "\nاقرأ المزيد على موقعنا"
    const result = index.check("copy", norm(edited))
    expect(result?.kind).toBe("near")
    expect(result?.keptDocId).toBe("kept")
    expect(result?.similarity).toBeGreaterThanOrEqual(0.65)
  })

  it("keeps distinct articles on the same topic", () => {
    const index = new DedupIndex(params)
    for (const name of ["000_72a975d9df36a078.txt", "001_5aa89ffc481f1ef0.txt", "002_c2e5c0be16892a5a.txt", "003_34040a4af762ad67.txt", "004_726e66db1db2851b.txt"]) {
      expect(index.check(name, norm(seed(name)))).toBeNull()
    }
  })

  it("estimates Jaccard similarity of shingle sets within 0.15", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 20, maxLength: 120 }), fc.double({ min: 0, max: 1, noNaN: true }), (ids, cut) => {
        const a = ids.map((i) => `w${i}`)
        const b = a.map((w, i) => (i / a.length < cut ? w : `x${i}`))
        const sa = shingleHashes(a.join(" "), 2)
        const sb = shingleHashes(b.join(" "), 2)
        const setA = new Set(sa)
        const setB = new Set(sb)
        const exact = [...setA].filter((h) => setB.has(h)).length / new Set([...setA, ...setB]).size
        const estimate = estimatedJaccard(signature(sa, 100), 0, signature(sb, 100), 0, 100)
        expect(Math.abs(estimate - exact)).toBeLessThan(0.15)
      }),
      { numRuns: 200 }
    )
  })
})

describe("repeatedSentences", () => {
  it("flags a sentence found in enough documents of one source only", () => {
    const docs = [
      ...Array.from({ length: 5 }, (_, i) => ({ source: "a", sentences: ["تابعونا على تويتر", `خبر ${i}`] })),
      ...Array.from({ length: 4 }, (_, i) => ({ source: "b", sentences: ["تابعونا على تويتر", `خبر ${i}`] }))
    ]
    expect([...repeatedSentences(docs, 5)]).toEqual(["a\tتابعونا على تويتر"])
  })
})
