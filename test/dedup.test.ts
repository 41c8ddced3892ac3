import { describe, expect, it } from "vitest"
import { ExactIndex, exactKey } from "../src/dedup.js"
import { cleanText } from "../src/normalize.js"

describe("exact deduplication", () => {
  it("ignores formatting, diacritics, tatweel and orthographic variants", () => {
    const a = exactKey(cleanText("أعلنت القوات العراقية تحرير الموصل.").text)
    const b = exactKey(cleanText("  اعلنت   القـوات العِراقية\nتحرير الموصل .").text)
    expect(a).toBe(b)
    expect(exactKey("أعلنت القوات العراقية تحرير تلعفر")).not.toBe(a)
  })

  it("keeps the first article of a key and points later copies at it", () => {
    const index = new ExactIndex()
    expect(index.check("k", "doc1")).toBeNull()
    expect(index.check("k", "doc2")).toEqual({ keptDocId: "doc1", kind: "exact", similarity: 1 })
    expect(index.check("other", "doc3")).toBeNull()
  })
})
