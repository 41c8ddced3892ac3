import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { DedupIndex, estimatedJaccard, RepeatedSentences, sentenceKey, shingleHashes, signature } from "../src/dedup.js"
import { random } from "../pipeline/corpus.js"
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

  it("hashes each run of n words: FNV-1a of the words' FNV-1a hashes (the whole text when shorter)", () => {
    const fnv = (values: ReadonlyArray<number>) => values.reduce((h, v) => Math.imul(h ^ v, 0x01000193), 0x811c9dc5) >>> 0
    const reference = (text: string, n: number) => {
      const words = text.split(" ").filter((w) => w !== "").map((w) => fnv(Array.from({ length: w.length }, (_, i) => w.charCodeAt(i))))
      return Array.from({ length: Math.max(1, words.length - n + 1) }, (_, i) => fnv(words.slice(i, i + n)))
    }
    const text = fc.array(fc.constantFrom("الموصل", "داعش", "w", " ", "  ", "قوات"), { maxLength: 40 }).map((a) => a.join(" "))
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 5 }), (t, n) => {
        expect(Array.from(shingleHashes(t, n))).toEqual(reference(t, n))
      }),
      { numRuns: 500 }
    )
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

describe("RepeatedSentences", () => {
  it("flags a sentence found in enough documents of one source only, counting each document once", () => {
    const counter = new RepeatedSentences()
    const doc = (source: string, i: number) => ["تابعونا على تويتر", "تابعونا على تويتر", `خبر ${i}`].map((s) => sentenceKey(source, s))
    for (let i = 0; i < 5; i++) counter.add(doc("a", i))
    for (let i = 0; i < 4; i++) counter.add(doc("b", i))
    expect([...counter.repeated(5)]).toEqual([sentenceKey("a", "تابعونا على تويتر")])
    expect(counter.repeated(4).size).toBe(2)
  })

  it("counts as if the documents taken back had never been added, whatever the order", () => {
    const documents = fc.array(fc.tuple(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 8 }), fc.boolean()), { maxLength: 30 })
    fc.assert(
      fc.property(documents, fc.integer({ min: 1, max: 4 }), (docs, minDocuments) => {
        const keysOf = (sentences: ReadonlyArray<number>) => sentences.map((n) => sentenceKey("s", `جملة ${n}`))
        const keptOnly = new RepeatedSentences()
        for (const [sentences, kept] of docs) if (kept) keptOnly.add(keysOf(sentences))
        const takenBack = new RepeatedSentences()
        for (const [sentences] of [...docs].reverse()) takenBack.add(keysOf(sentences))
        for (const [sentences, kept] of docs) if (!kept) takenBack.remove(keysOf(sentences))
        expect(takenBack.repeated(minDocuments)).toEqual(keptOnly.repeated(minDocuments))
      })
    )
  })

  it("gives different keys to the same sentence in different sources, and 53-bit integers", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (source, text) => {
        const key = sentenceKey(source, text)
        expect(Number.isSafeInteger(key) && key >= 0).toBe(true)
        expect(sentenceKey(`${source}x`, text)).not.toBe(key)
      })
    )
  })
})

describe("the compact index at scale (past its tables' first growth)", () => {
  it("finds every near copy among thousands of articles, and flags no original", () => {
    const rand = random(11)
    const vocabulary = Array.from({ length: 5000 }, (_, i) => `كلمة${i}`)
    const articles = Array.from({ length: 3000 }, () => Array.from({ length: 60 }, () => vocabulary[Math.floor(rand() * vocabulary.length)]))
    const index = new DedupIndex(params)
    articles.forEach((words, i) => expect(index.check(`a${i}`, words.join(" "))).toBeNull())
    for (let i = 0; i < 3000; i += 30) {
      const copy = articles[i].map((w, k) => (k === 30 ? "تعديل" : w)).join(" ")
      expect(index.check(`copy${i}`, copy)).toMatchObject({ keptDocId: `a${i}`, kind: "near" })
    }
  })

  it("counts documents per sentence across many distinct sentences", () => {
    const counter = new RepeatedSentences()
    for (let doc = 0; doc < 200; doc++) counter.add([...Array.from({ length: 50 }, (_, k) => sentenceKey("s", `خبر ${doc}-${k}`)), sentenceKey("s", doc % 2 === 0 ? "زوجي" : "فردي")])
    expect(counter.repeated(100)).toEqual(new Set([sentenceKey("s", "زوجي"), sentenceKey("s", "فردي")]))
    expect(counter.repeated(2).size).toBe(2)
  })
})
