import { describe, expect, it } from "vitest"
import patternData from "../lexicons/patterns.json" with { type: "json" }
import { buildPatterns } from "../src/patterns.js"
import { buildLexicon, tagSentence, type Entity } from "../src/tag.js"

const lexicon = buildLexicon([{ id: "p:mosul", label: "PLACE", type: "CITY", en: "Mosul", ar: ["الموصل"] } satisfies Entity])
const patterns = buildPatterns(patternData)
const found = (text: string) => tagSentence(text, lexicon, patterns).map((t) => [t.text, t.label, t.type, t.method])

describe("pattern names", () => {
  it("finds a person after a title and its modifiers", () => {
    expect(found("وقال قائد عمليات نينوى اللواء نجم الجبوري إن")).toEqual([["نجم الجبوري", "ACTOR", "PERSON", "pattern"]])
    expect(found("أعلن العميد الركن أبو علي البصري")).toEqual([["أبو علي البصري", "ACTOR", "PERSON", "pattern"]])
    expect(found("استقبل الشيخ محمد بن راشد الوفد")).toEqual([["محمد بن راشد", "ACTOR", "PERSON", "pattern"]])
    // An academic or professional title between the rank and the name is not the name.
    expect(found("قال العقيد دكتور عاطي بن عطية")).toEqual([["عاطي بن عطية", "ACTOR", "PERSON", "pattern"]])
    expect(found("وقال اللواء طيار عبد الحكيم شلبي")).toEqual([["عبد الحكيم شلبي", "ACTOR", "PERSON", "pattern"]])
  })

  it("finds a place after a cue word, typed by the cue", () => {
    expect(found("اقتحموا قرية بازوايا شرق الموصل")).toEqual([
      ["بازوايا", "PLACE", "CITY", "pattern"],
      ["الموصل", "PLACE", "CITY", "lexicon"]
    ])
    expect(found("في ناحية تل عبطة")).toEqual([["تل عبطة", "PLACE", "ADMIN", "pattern"]])
  })

  it("finds a group with its head word", () => {
    expect(found("مقاتلو لواء شهداء اليرموك.")).toEqual([["لواء شهداء اليرموك", "ACTOR", "ARMED_GROUP", "pattern"]])
  })

  it("does not take common words for names", () => {
    expect(found("وقال المتحدث إن مدينة كبيرة سقطت")).toEqual([])
    expect(found("قال المتحدث الرسمي للدفاع المدني")).toEqual([])
    expect(found("قال الشيخ : انتهت المعركة")).toEqual([])
    expect(found("وواصل الفريق تدريباته مساء أمس قبل مباراته أمام النصر")).toEqual([])
    expect(found("في 46 مدينة ومحافظة بمختلف المناطق")).toEqual([])
  })
})
