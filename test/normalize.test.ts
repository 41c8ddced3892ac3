import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { isLetter } from "../src/chars.js"
import { cleanText, countWords, encodeSingleByte, isNfkcSensitive, letterCensus, matchUnit, normalizeForMatch, rawSpan, repairMojibake } from "../src/normalize.js"

const pieces = [
  "الموصل", "داعش", "قوات", "مُحَمَّد", "الـعـراق", "ـ", "ـــ", "\u200B", "\u200F", "\u202B", "\uFEFF", "#", "##", "٣٤", "۱۲", "12",
  "Mosul", "😀", "\uFEFB", "\uFDFD", "\uFE70", " ", "  ", "\n", "\n\n\n", "\r\n", "\t", "\u00A0", ".", ".,", ". ,", ",", "؟", "!", "…",
  "\"", "«", "»", "(", ")", "اضف تعليق", "*الوقت التحليلي", "تقرير/ محمد فايع", "أإآٱى ة"
]
const arabicish = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 3 }), fc.string({ unit: "binary", maxLength: 2 })), { maxLength: 40 }).map((a) => a.join(""))

describe("cleanText", () => {
  it("folds presentation forms, drops tatweel, controls and hashtag marks", () => {
    expect(cleanText("\uFEFB\u200Bالـعـراق #داعش").text).toBe("لاالعراق داعش")
    expect(cleanText("قال الوزير ـ وهو غاضب ـ إن المعركة انتهت.").text).toBe("قال الوزير - وهو غاضب - إن المعركة انتهت.")
    expect(cleanText("مُحَمَّد ٣٤").text).toBe("مُحَمَّد ٣٤")
  })

  it("makes the other control characters a space, so they join no words (SaudiNewsNet's `\\x1a\\x1a`)", () => {
    expect(cleanText("عن حياض الوطن. \x1a\x1aمن احتفالات").text).toBe("عن حياض الوطن. من احتفالات")
    expect(cleanText("\x1a\x1a الحديث\x00مستمر\x7f\x9f").text).toBe("الحديث مستمر")
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 20 }), (raw) => !/[\x00-\x09\x0b-\x1f\x7f-\x9f]/u.test(cleanText(raw).text)), { numRuns: 2000 })
  })

  it("drops tatweel that stretches a letter before punctuation", () => {
    expect(cleanText("نقلا عن صحيفة بـ«الشرق الأوسط» ـــ أمس").text).toBe("نقلا عن صحيفة ب«الشرق الأوسط» - أمس")
  })

  it("keeps one paragraph break and unifies spaces", () => {
    expect(cleanText("  أ\t ب \r\n\r\n\r\n ج  ").text).toBe("أ ب\n\nج")
  })

  it("turns scraper joins `., ` back into paragraph breaks", () => {
    expect(cleanText("الجملة الأولى., الجملة الثانية").text).toBe("الجملة الأولى\nالجملة الثانية")
  })

  it("removes datelines, read-more links, tag lists and credits, but never a title's line", () => {
    const cleaned = cleanText("عين اليوم – جدة\nتعكف وزارة النقل على تنفيذ مشاريع.\n(أ. ف. ب)\nسمات الدمام تحرش عصا فتاة\n...المزيد")
    expect(cleaned.text).toBe("تعكف وزارة النقل على تنفيذ مشاريع.")
    expect(cleaned.boilerplate).toEqual(["dateline", "credit", "tag_list", "read_more"])
    expect(cleanText("الهلال – النصر", { boilerplate: false }).text).toBe("الهلال – النصر")
  })

  it("cuts furniture glued to the end of the last paragraph", () => {
    const cleaned = cleanText("وتم نقل الراكبة إلى المستشفى. رابط الخبر بصحيفة الوئام: طيران ناس تكرم طاقم طائرة")
    expect(cleaned.text).toBe("وتم نقل الراكبة إلى المستشفى.")
    expect(cleaned.boilerplate).toEqual(["footer"])
    expect(cleanText("نص الخبر.\nللتواصل أرسل sms إلى 88548 الاتصالات").text).toBe("نص الخبر.")
  })

  it("removes boilerplate lines and takes the author from a byline", () => {
    const cleaned = cleanText("نص الخبر.\nتقرير/ محمد فايع\nاضف تعليق")
    expect(cleaned.text).toBe("نص الخبر.")
    expect(cleaned.author).toBe("محمد فايع")
    expect(cleaned.boilerplate).toEqual(["byline", "comment_prompt"])
  })

  it("is idempotent", () => {
    fc.assert(fc.property(arabicish, (raw) => cleanText(cleanText(raw).text).text === cleanText(raw).text), { numRuns: 2000 })
  })

  it("maps every cleaned code point to a raw code point, in order", () => {
    fc.assert(
      fc.property(arabicish, (raw) => {
        const rawLength = [...raw].length
        const { text, src } = cleanText(raw)
        expect(src.length).toBe([...text].length)
        Array.from(src).forEach((s, i) => {
          expect(s).toBeGreaterThanOrEqual(0)
          expect(s).toBeLessThan(rawLength)
          if (i > 0) expect(s).toBeGreaterThanOrEqual(src[i - 1])
        })
      }),
      { numRuns: 2000 }
    )
  })

  it("keeps letters where they were: a cleaned Arabic letter or digit comes from the same raw character", () => {
    fc.assert(
      fc.property(arabicish, (raw) => {
        const rawChars = [...raw]
        const { text, src } = cleanText(raw)
        ;[...text].forEach((c, i) => {
          if (/[\u0621-\u064A0-9]/u.test(c) && !/[\uFB50-\uFDFF\uFE70-\uFEFF]/u.test(rawChars[src[i]])) expect(rawChars[src[i]]).toBe(c)
        })
      }),
      { numRuns: 1000 }
    )
  })

  it("gives raw spans that slice back to the same words", () => {
    const raw = "قيادة قوات #التحالف ضد #داعش"
    const { text, src } = cleanText(raw)
    const start = text.indexOf("التحالف")
    const [rs, re] = rawSpan(src, start, start + 7)
    expect([...raw].slice(rs, re).join("")).toBe("التحالف")
  })
})

describe("repairMojibake", () => {
  const arabic = "أعلنت القوات العراقية تحرير الموصل."
  const broken = (encoding: string) => new TextDecoder(encoding).decode(new TextEncoder().encode(arabic))

  it("repairs UTF-8 read as Windows-1256 or Latin-1, and maps back to the broken text", () => {
    for (const encoding of ["windows-1256", "windows-1252"]) {
      const text = broken(encoding)
      const repaired = repairMojibake(text)
      expect(repaired?.text).toBe(arabic)
      const cleaned = cleanText(repaired!.text)
      const start = cleaned.text.indexOf("الموصل")
      const [rs, re] = rawSpan(cleaned.src, start, start + 6, 0, repaired!.origin)
      expect(new TextDecoder("utf-8").decode(encodeSingleByte(encoding, [...text].slice(rs, re).join(""))!)).toBe("الموصل")
    }
  })

  it("leaves ordinary Arabic alone", () => {
    expect(repairMojibake("ظل الطقس حارا في الطائف وظهرت الشمس")).toBeNull()
    expect(repairMojibake(arabic)).toBeNull()
  })
})

describe("letterCensus", () => {
  it("counts each kind of letter as a unit-by-unit count does, in texts of any length", () => {
    const letters = fc.constantFrom("ا", "ط", "ظ", "پ", "گ", "ٱ", "ە", "Ø", "Ù", "a", "é", "1", " ", "ً", "😀", "\uD800")
    const text = fc.oneof(arabicish, fc.array(letters, { maxLength: 200 }).map((a) => a.join("")), fc.tuple(letters, fc.integer({ min: 0, max: 100 })).map(([l, n]) => l.repeat(n)))
    fc.assert(
      fc.property(text, (s) => {
        const units = [...s].flatMap((c) => [...Array(c.length)].map((_, i) => c.charCodeAt(i)))
        const count = (test: (u: number) => boolean) => units.filter(test).length
        const arabicLetter = (u: number) => (u >= 0x621 && u <= 0x63a) || (u >= 0x641 && u <= 0x64a) || (u >= 0x66e && u <= 0x6d3) || u === 0x6d5 || (u >= 0x6fa && u <= 0x6fc) || u === 0x6ff
        expect(letterCensus(s)).toEqual({
          letters: count(isLetter),
          arabic: count((u) => isLetter(u) && arabicLetter(u)),
          script: count((u) => (u >= 0x621 && u <= 0x64a) || (u >= 0x671 && u <= 0x6d3) || (u >= 0x6fa && u <= 0x6ff)),
          persian: count((u) => [0x67e, 0x686, 0x698, 0x6af].includes(u)),
          leads1256: count((u) => u === 0x637 || u === 0x638),
          leads1252: count((u) => u === 0xd8 || u === 0xd9)
        })
      }),
      { numRuns: 1000 }
    )
  })
})

describe("normalizeForMatch", () => {
  it("follows CAMeL conventions, digits to ASCII, punctuation dropped", () => {
    expect(normalizeForMatch("إِلى الأُمَّة، مستشفى ٣٤ (۱۲)!")).toBe("الي الامه مستشفي 34 12")
  })

  it("is idempotent", () => {
    fc.assert(fc.property(arabicish, (s) => normalizeForMatch(normalizeForMatch(s)) === normalizeForMatch(s)), { numRuns: 2000 })
  })

  it("is each unit of the NFKC text mapped, the dropped ones left out, separators one space between words", () => {
    const reference = (s: string) => {
      const units = s.normalize("NFKC")
      const mapped = Array.from({ length: units.length }, (_, i) => matchUnit(units.charCodeAt(i))).filter((u) => u !== -1)
      return String.fromCharCode(...mapped).split(" ").filter((word) => word !== "").join(" ")
    }
    const spaced = fc.array(fc.oneof(fc.constantFrom(...pieces, " ", "  ", "،", "ً", ". "), fc.string({ maxLength: 3 })), { maxLength: 40 }).map((a) => a.join(""))
    fc.assert(
      fc.property(fc.oneof(arabicish, spaced), (s) => {
        expect(normalizeForMatch(s)).toBe(reference(s))
      }),
      { numRuns: 3000 }
    )
  })
})

describe("isNfkcSensitive", () => {
  /** Units from where composition happens: Arabic with its hamza forms and marks, Latin with accents, Hangul, Indic, anything. */
  const unit = fc.oneof(
    // Bases and what joins them: alef, waw, ya, ha with madda and hamza; e with an acute; Hangul L V T; Oriya e + aa; Devanagari ka + nukta.
    fc.constantFrom(0x627, 0x648, 0x64a, 0x6c1, 0x6d2, 0x6d5, 0x653, 0x654, 0x655, 0x65, 0x301, 0x1100, 0x1161, 0x11a8, 0xac00, 0xb47, 0xb3e, 0x915, 0x93c),
    fc.integer({ min: 0x600, max: 0x6ff }),
    fc.integer({ min: 0x41, max: 0x24f }),
    fc.integer({ min: 0x300, max: 0x36f }),
    fc.integer({ min: 0x1100, max: 0x11ff }),
    fc.integer({ min: 0xac00, max: 0xac40 }),
    fc.integer({ min: 0x900, max: 0xdff }),
    fc.integer({ min: 0xfb50, max: 0xfeff }),
    fc.integer({ min: 0x80, max: 0xffff })
  )
  it("normalizeForMatch, which runs NFKC only on texts with a flagged unit, gives what it gives after NFKC", () => {
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 12 }), (units) => {
        const text = String.fromCharCode(...units)
        expect(normalizeForMatch(text)).toBe(normalizeForMatch(text.normalize("NFKC")))
      }),
      { numRuns: 20000 }
    )
  })

  it("leaves the precomposed hamza letters alone and flags what composes with them", () => {
    expect([..."أإآؤئ"].map((c) => isNfkcSensitive(c.charCodeAt(0)))).toEqual([false, false, false, false, false])
    expect([0x653, 0x654, 0x655, 0x301].map(isNfkcSensitive)).toEqual([true, true, true, true])
  })
})

describe("countWords", () => {
  it("counts what the word pattern matches, on any text (marks, astral letters, lone surrogates)", () => {
    fc.assert(
      fc.property(fc.oneof(arabicish, fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" })), (text) => {
        expect(countWords(text)).toBe((text.match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu) ?? []).length)
      }),
      { numRuns: 500 }
    )
  })
})
