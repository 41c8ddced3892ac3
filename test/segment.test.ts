import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { countWords } from "../src/normalize.js"
import { isAbbreviation, segment } from "../src/segment.js"

const sentences = (text: string) => segment(text).map(([s, e]) => [...text].slice(s, e).join(""))

describe("segment", () => {
  it("ends sentences after final marks and runs of them", () => {
    expect(sentences("قال الوزير. ثم غادر! هل عاد؟ لا أعلم؟! ربما...")).toEqual(["قال الوزير.", "ثم غادر!", "هل عاد؟", "لا أعلم؟!", "ربما..."])
  })

  it("keeps closing quotes and brackets with the sentence", () => {
    expect(sentences("قال: \"انتهى الأمر.\" ثم صمت (طويلا.) وانتهى")).toEqual(["قال: \"انتهى الأمر.\"", "ثم صمت (طويلا.)", "وانتهى"])
  })

  it("does not split numbers, initials, abbreviations or URLs", () => {
    expect(sentences("ارتفع 1.5 في المئة حسب أ.ف.ب اليوم. وقال د. أحمد إن www.example.com مفيد.")).toEqual([
      "ارتفع 1.5 في المئة حسب أ.ف.ب اليوم.",
      "وقال د. أحمد إن www.example.com مفيد."
    ])
  })

  it("does not split Latin letter names written in Arabic", () => {
    expect(sentences("على قناة “بي. بي. سي” مباشرة. ثم")).toEqual(["على قناة “بي. بي. سي” مباشرة.", "ثم"])
  })

  it("splits a word glued on by a missing space", () => {
    expect(sentences("سيطر عليها داعش.ولم يتمكن الجيش")).toEqual(["سيطر عليها داعش.", "ولم يتمكن الجيش"])
  })

  it("ends every line, and never splits at ، or ؛", () => {
    expect(sentences("عنوان بلا نقطة\nنص أول، وثان؛ وثالث")).toEqual(["عنوان بلا نقطة", "نص أول، وثان؛ وثالث"])
  })

  it("leaves stray punctuation between sentences out", () => {
    expect(sentences("جملة أولى. , . جملة ثانية")).toEqual(["جملة أولى.", "جملة ثانية"])
  })

  it("knows abbreviations from the data file", () => {
    expect(isAbbreviation("أ.د")).toBe(true)
    expect(isAbbreviation("د")).toBe(true)
    expect(isAbbreviation("الموصل")).toBe(false)
  })

  it("gives ordered, non-overlapping spans with no edge whitespace", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("كلمة", " ", ".", "؟", "\n", "1.5", "\"", "د.", "،", "…"), { maxLength: 60 }), (parts) => {
        const text = parts.join("")
        const chars = [...text]
        let previousEnd = 0
        for (const [start, end] of segment(text)) {
          expect(start).toBeGreaterThanOrEqual(previousEnd)
          expect(end).toBeGreaterThan(start)
          expect(chars[start]).not.toMatch(/\s/u)
          expect(chars[end - 1]).not.toMatch(/\s/u)
          expect(chars.slice(start, end)).not.toContain("\n")
          previousEnd = end
        }
      }),
      { numRuns: 1000 }
    )
  })

  it("leaves every word of a text inside one sentence (a document's word count is its sentences')", () => {
    // Glued words, marks after a boundary, closers, digits, astral letters: where a word could straddle a boundary.
    const piece = fc.constantFrom("كلمة", "داعش.ولم", " ", ".", "؟", "\n", "1.5", '"', "د.", "،", "…", "\u064B", "ـ", "!)", "𝐀", "😀", "a.b", "'")
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const text = parts.join("")
        const chars = [...text]
        const inSentences = segment(text).reduce((n, [start, end]) => n + countWords(chars.slice(start, end).join("")), 0)
        expect(inSentences).toBe(countWords(text))
      }),
      { numRuns: 2000 }
    )
  })
})
