import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { isWordPart } from "../src/chars.js"
import { normalizeForMatch } from "../src/normalize.js"
import { buildLexicon, readings, resolveByDocument, tagSentence, tokenize, wordSketch, type Entity } from "../src/tag.js"

const entities: Array<Entity> = [
  { id: "p:mosul", label: "PLACE", type: "CITY", en: "Mosul", ar: ["الموصل"], lat: 36.3, lon: 43.1 },
  { id: "p:talafar", label: "PLACE", type: "CITY", en: "Tal Afar", ar: ["تلعفر"], lat: 36.4, lon: 42.4 },
  { id: "p:us", label: "PLACE", type: "COUNTRY", en: "United States", ar: ["الولايات المتحدة", "الولايات المتحدة الأمريكية"] },
  { id: "a:isis", label: "ACTOR", type: "ARMED_GROUP", en: "ISIS", ar: ["داعش", "تنظيم داعش"] },
  { id: "a:pmf", label: "ACTOR", type: "ARMED_GROUP", en: "PMF", ar: ["الحشد الشعبي", "الحشد"] }
]
const lexicon = buildLexicon(entities)
const tags = (text: string) => tagSentence(text, lexicon).map((t) => [t.text, t.name, t.entity?.id, t.type])

describe("tagSentence", () => {
  it("keeps proclitics inside the span and gives the bare name", () => {
    expect(tags("وصلوا بالموصل وللحشد دور")).toEqual([
      ["بالموصل", "الموصل", "p:mosul", "CITY"],
      ["وللحشد", "الحشد", "a:pmf", "ARMED_GROUP"]
    ])
  })

  it("takes the longest name and leaves punctuation and quotes outside", () => {
    expect(tags("أعلنت الولايات المتحدة الأمريكية أن “داعش” انسحب، وتنظيم داعش.")).toEqual([
      ["الولايات المتحدة الأمريكية", "الولايات المتحدة الأمريكية", "p:us", "COUNTRY"],
      ["داعش", "داعش", "a:isis", "ARMED_GROUP"],
      ["وتنظيم داعش", "تنظيم داعش", "a:isis", "ARMED_GROUP"]
    ])
  })

  it("tells apart words of the same hash, in either order (its cache of first words is checked by their letters)", () => {
    // ابل and نال: the same hash (ا + 31·ب = ن + 31·ا), so ابل passes the sketch of a lexicon that holds نال.
    const withNal = buildLexicon([...entities, { id: "p:nal", label: "PLACE", type: "CITY", en: "Nal", ar: ["نال"] }])
    expect(tagSentence("ابل نال", withNal).map((t) => t.text)).toEqual(["نال"])
    expect(tagSentence("نال ابل", withNal).map((t) => t.text)).toEqual(["نال"])
  })

  it("gives the bare name of a token with a proclitic glued to a quote", () => {
    const withRegion = buildLexicon([...entities, { id: "p:me", label: "PLACE", type: "REGION", en: "Middle East", ar: ["الشرق الأوسط"] }])
    expect(tagSentence("قال ل«الشرق الأوسط» أمس", withRegion).map((t) => [t.text, t.name])).toEqual([["ل«الشرق الأوسط", "الشرق الأوسط"]])
  })

  it("reads علي written for على as a preposition, and علي السيستاني as a name", () => {
    const withSistani = buildLexicon([...entities, { id: "a:sistani", label: "ACTOR", type: "PERSON", en: "Ali al-Sistani", ar: ["علي السيستاني", "السيستاني"] }])
    expect(tagSentence("سيطرة تنظيم داعش علي مدينة الموصل", withSistani).map((t) => t.text)).toEqual(["تنظيم داعش", "الموصل"])
    expect(tagSentence("فتوى المرجع علي السيستاني", withSistani).map((t) => t.text)).toEqual(["علي السيستاني"])
  })

  it("matches across diacritics and hamza forms", () => {
    expect(tags("الْمَوْصِل")[0]?.[2]).toBe("p:mosul")
  })

  it("does not run a name across punctuation", () => {
    expect(tags("الحشد، الشعبي")).toEqual([["الحشد", "الحشد", "a:pmf", "ARMED_GROUP"]])
  })

  it("types a place by its cue word: قضاء X is ADMIN", () => {
    expect(tags("قضاء تلعفر")).toEqual([["تلعفر", "تلعفر", "p:talafar", "ADMIN"]])
  })

  it("returns spans that slice back to the surface", () => {
    const text = "قال إن #داعش فر من الموصل."
    for (const tag of tagSentence(text, lexicon)) expect([...text].slice(tag.start, tag.end).join("")).toBe(tag.text)
  })
})

describe("ambiguity", () => {
  const withRules = buildLexicon(
    [
      ...entities,
      { id: "p:west", label: "PLACE", type: "REGION", en: "the West", ar: ["الغرب"] },
      { id: "a:iraqis", label: "ACTOR", type: "COMMUNITY", en: "Iraqis", ar: ["العراقيين"] },
      { id: "a:sunni", label: "ACTOR", type: "COMMUNITY", en: "Sunni Muslims", ar: ["السنة"] }
    ],
    {
      only_in_context: [{ variant: "الدولة", entity: "a:isis", quoted: true, after: ["مسلحي"] }],
      not_after: [{ variant: "الغرب", words: ["إلى"] }, { variant: "السنة", words: ["هذه"] }],
      not_before: [{ variant: "السنة", words: ["الماضية", "الثانية"] }]
    }
  )
  const ids = (text: string) => tagSentence(text, withRules).map((t) => [t.text, t.entity?.id])

  it("tags a common word as a name only in its contexts", () => {
    expect(ids("قتل مسلحي الدولة مدنيين وقالت الدولة إنها")).toEqual([["الدولة", "a:isis"]])
    expect(ids("معارك مع \"الدولة\" قرب الموصل")).toEqual([["الدولة", "a:isis"], ["الموصل", "p:mosul"]])
  })

  it("does not tag a direction as a region", () => {
    expect(ids("فروا إلى الغرب ويخشى الغرب عودتهم")).toEqual([["الغرب", "p:west"]])
  })

  it("does not take the year for the Sunnis: not after `هذه`, not before `الماضية`", () => {
    expect(ids("خلال السنة الماضية اشتبك السنة والشيعة")).toEqual([["السنة", "a:sunni"]])
    expect(ids("هذه السنة وللسنة الثانية")).toEqual([])
    expect(ids("بين الشيعة والسنة. السنة، الماضية")).toEqual([["والسنة", "a:sunni"], ["السنة", "a:sunni"]])
  })

  it("does not take a community adjective after a definite noun for a name", () => {
    expect(ids("وعود المسؤولين العراقيين")).toEqual([])
    expect(ids("نجاح العراقيين والحياة العادية للعراقيين")).toEqual([["العراقيين", "a:iraqis"], ["للعراقيين", "a:iraqis"]])
  })

  it("does not run a name into a quoted word: تنظيم “داعش” tags only داعش", () => {
    expect(tags("تنظيم “داعش” الإرهابي")).toEqual([["داعش", "داعش", "a:isis", "ARMED_GROUP"]])
  })
})

describe("readings", () => {
  it("strips و ف ب ك ل and لل", () => {
    expect(readings("وللموصل").map((r) => r.word)).toContain("الموصل")
    expect(readings("فبالموصل").map((r) => r.word)).toContain("الموصل")
  })
})

describe("tokenize", () => {
  it("gives code-point spans that slice back to each token's surface, which starts and ends in a word part", () => {
    const piece = fc.oneof(fc.constantFrom("الموصل", "«داعش»", " ", "\n", "،", ".", "😀", "\u064e", "(", "ب«الشرق"), fc.string({ unit: "binary", maxLength: 3 }))
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((a) => a.join("")), (text) => {
        const chars = [...text]
        const words = tokenize(text)
        for (let i = 0; i < words.length; i++) {
          const surface = words.surface(i)
          expect(chars.slice(words.start(i), words.end(i)).join("")).toBe(surface)
          expect(isWordPart(surface.codePointAt(0)!)).toBe(true)
          expect(isWordPart([...surface].at(-1)!.codePointAt(0)!)).toBe(true)
        }
      }),
      { numRuns: 500 }
    )
  })
})

describe("Words.norm", () => {
  it("is the token's normalizeForMatch less its spaces, also after words NFKC makes longer (ﷺ, ligatures)", () => {
    const piece = fc.constantFrom("الموصل", "ﷺ", "ﻻ", "ﷲ", "أَحْمَد", "٣٤", " ", "،", "😀", "x")
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }).map((a) => a.join("")), (text) => {
        const words = tokenize(text)
        for (let i = 0; i < words.length; i++) expect(words.norm(i)).toBe(normalizeForMatch(words.surface(i)).replaceAll(" ", ""))
      }),
      { numRuns: 500 }
    )
  })
})

describe("Words.mayRead", () => {
  it("is true exactly when the sketch may hold one of the token's readings (proclitics, لل, short words)", () => {
    const word = fc.array(fc.constantFrom(..."وفبكلالموصدعشة"), { minLength: 1, maxLength: 7 }).map((a) => a.join(""))
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), fc.array(word, { maxLength: 6 }), (sentence, known) => {
        const words = tokenize(sentence.join(" "))
        const indices = Array.from({ length: words.length }, (_, i) => i)
        // The set holds some readings of the sentence's own words, so both answers occur.
        const sketch = wordSketch([...known, ...indices.filter((i) => i % 2 === 0).map((i) => words.readings(i).at(-1)!.word)])
        for (const i of indices) expect(words.mayRead(i, sketch)).toBe(words.readings(i).some((r) => sketch.has(r.word)))
        // Given the sketch, tokenize marks the same words as ones that may start a name.
        const marked = tokenize(sentence.join(" "), sketch)
        for (const i of indices) expect(marked.mayStart(i)).toBe(words.mayRead(i, sketch))
      }),
      { numRuns: 500 }
    )
  })
})

describe("the shipped lexicons", async () => {
  const load = async (name: string) => (await import(`../lexicons/${name}.json`, { with: { type: "json" } })).default
  const actors = (await load("actors")).entities.map((e: Entity) => ({ ...e, label: "ACTOR" }))
  const shipped = buildLexicon([...actors, ...(await load("places")).entities], await load("ambiguous"))
  const ids = (text: string) => tagSentence(text, shipped).map((t) => t.entity?.id)

  it("tell common words from the names they spell", () => {
    expect(ids("قدمت دعما مالي للأسر هذه السنة وفي السنة الماضية")).toEqual([])
    expect(ids("عملية عسكرية في مالي")).toEqual(["iso:ML"])
    expect(ids("بين السنة والشيعة")).toEqual(["actor:sunni", "actor:shia"])
    expect(ids("عائلة من الطبقة الوسطى")).toEqual([])
    expect(ids("قرب سد الطبقة")).toEqual(["mna:tabqa"])
    expect(ids("استدعت الخارجية القائم بالأعمال")).toEqual([])
    expect(ids("هبط مؤشر بورصة طوكيو")).not.toContain("geonames:750269")
    expect(ids("في مشهد مؤثر")).toEqual([])
    expect(ids("نهائي كوبا أمريكا وكوبا أميركا")).toEqual([])
    expect(ids("وقال في حديثه إن بنوك الميادين تدعم الحراك بطرق سلمية")).toEqual([])
    expect(ids("وفي قضاء حديثة")).toEqual(["geonames:96309"])
    expect(ids("على مدينة تدمر وفي ميادين القتال")).toEqual(["geonames:163808"])
    expect(ids("باتجاه دير الزور والرقة وتدمر")).toEqual(["geonames:170794", "geonames:172955", "geonames:163808"])
    expect(ids("ألسنة اللهب وممثلين للسنة والسنّة")).toEqual(["actor:sunni", "actor:sunni"])
    expect(ids("لبيد بن ربيعة والزبير بن العوام رأوه")).toEqual([])
    expect(ids("منفذ ربيعة وقضاء الزبير ومدينة راوة")).toEqual(["mna:rabia", "geonames:98245", "mna:rawa"])
    expect(ids("وقال لـ«الشرق الأوسط» إن الشرق الأوسط تغير")).toEqual(["actor:asharq-alawsat", "mna:middle-east"])
  })

  it("list each actor variant under one actor (the first listed would take it from the others)", () => {
    const owner = new Map<string, string>()
    const shared = actors.flatMap((actor: Entity) =>
      actor.ar.flatMap((variant) => {
        const key = normalizeForMatch(variant)
        const first = owner.get(key)
        if (first === undefined) owner.set(key, actor.id)
        return first === undefined || first === actor.id ? [] : [`${variant}: ${first}, ${actor.id}`]
      })
    )
    expect(shared).toEqual([])
    expect(ids("مقاتلات وحدات حماية المرأة ووحدات حماية الشعب")).toEqual(["actor:ypj", "actor:ypg"])
  })

  it("name the coalition or the mobilization a document is about, one sense per document", () => {
    const document = (...sentences: Array<string>) =>
      resolveByDocument(sentences.map((s) => tagSentence(s, shipped)))
        .flat()
        .map((t) => [t.name, t.entity?.id])
    const bare = (...sentences: Array<string>) => document(...sentences).filter(([name]) => name === "التحالف" || name === "الحشد")
    // Named in full, before or after.
    expect(bare("غارات التحالف على المواقع", "أعلن التحالف العربي بقيادة المملكة")).toEqual([["التحالف", "actor:arab-coalition"]])
    expect(bare("غارات التحالف على المواقع", "قال التحالف الدولي")).toEqual([["التحالف", "actor:coalition"]])
    // Named in neither way: by what the document mentions, else the anti-ISIS coalition.
    expect(bare("غارات التحالف على مواقع الحوثيين في صنعاء")).toEqual([["التحالف", "actor:arab-coalition"]])
    expect(bare("غارات التحالف على مواقع داعش في الموصل")).toEqual([["التحالف", "actor:coalition"]])
    expect(bare("غارات التحالف")).toEqual([["التحالف", "actor:coalition"]])
    // The mobilization is a name only where the document names it in full or is about Iraq.
    expect(bare("واصل الحشد العسكري على الحدود")).toEqual([])
    expect(bare("هاجم الحشد مواقع التنظيم", "وقال قائد في الحشد الشعبي")).toEqual([["الحشد", "actor:pmf"]])
    expect(bare("تقدم الجيش والحشد قرب تكريت")).toEqual([["الحشد", "actor:pmf"]])
    // The Red Crescent society of the country the article is about; the ICRC is only the Red Cross.
    expect(document("وصلت فرق الهلال الأحمر إلى الموصل")).toEqual([["الهلال الأحمر", "actor:iraqi-red-crescent"], ["الموصل", "geonames:99072"]])
    expect(document("نقلت فرق الهلال الأحمر المصابين في الرياض")).toEqual([["الهلال الأحمر", "actor:saudi-red-crescent"], ["الرياض", "geonames:108410"]])
    expect(document("قدم الهلال الأحمر الإماراتي مساعدات", "زار الصليب الأحمر")).toEqual([["الهلال الأحمر الإماراتي", "actor:red-crescent"], ["الصليب الأحمر", "actor:icrc"]])
    // Tags of the other rules are left as they are.
    expect(document("دخلت القوات الموصل")).toEqual([["الموصل", "geonames:99072"]])
  })
})
