/**
 * Generates a deduplication benchmark from real articles: originals, copies of them with known
 * edits, and distinct articles on the same topics as distractors, shuffled into one JSONL file,
 * with the truth (which record copies which, by which edit) beside it.
 */
import type { CorpusArticle } from "./corpus.js"

export const EDITS = [
  "exact",
  "whitespace_punctuation",
  "dateline_added",
  "last_paragraph_dropped",
  "footer_added",
  "orthographic_variants",
  "diacritics_added",
  "words_replaced_or_dropped"
] as const
export type Edit = (typeof EDITS)[number]

export interface BenchmarkRecord {
  readonly id: string
  readonly group: string
  /** null for originals and distractors. */
  readonly edit: Edit | null
  readonly title: string
  readonly text: string
  readonly source: string
}

const DATELINES = ["الرياض - واس: ", "بغداد - رويترز: ", "الموصل (العراق) - أ ف ب: ", "لندن: "]
const FOOTERS = ["\n\nتابعونا على تويتر وفيسبوك لمزيد من الأخبار.", "\n\nجميع الحقوق محفوظة للناشر ©", "\n\nاقرأ أيضا: آخر التطورات الميدانية في المنطقة"]
const HARAKAT = ["\u064E", "\u064F", "\u0650", "\u0652", "\u0651"]

const pick = <A>(rand: () => number, items: ReadonlyArray<A>): A => items[Math.floor(rand() * items.length)]

export const applyEdit = (text: string, edit: Edit, rand: () => number): string => {
  switch (edit) {
    case "exact":
      return text
    case "whitespace_punctuation":
      return text
        .replace(/ /gu, () => (rand() < 0.1 ? "  " : " "))
        .replace(/،/gu, () => (rand() < 0.5 ? "," : "،"))
        .replace(/\n/gu, "\n\n")
        .replace(/\./gu, () => (rand() < 0.3 ? " ." : "."))
    case "dateline_added":
      return pick(rand, DATELINES) + text
    case "last_paragraph_dropped": {
      const paragraphs = text.split(/\n+/u)
      return paragraphs.length > 2 ? paragraphs.slice(0, -1).join("\n") : text.split(/(?<=\.)\s/u).slice(0, -1).join(" ") || text
    }
    case "footer_added":
      return text + pick(rand, FOOTERS)
    case "orthographic_variants":
      return text.replace(/[أإآ]/gu, (c) => (rand() < 0.7 ? "ا" : c)).replace(/ى/gu, () => (rand() < 0.5 ? "ي" : "ى")).replace(/ة(?=\s)/gu, () => (rand() < 0.3 ? "ه" : "ة"))
    case "diacritics_added":
      return text.replace(/[\u0628-\u064A](?=[\u0621-\u064A])/gu, (c) => (rand() < 0.15 ? c + pick(rand, HARAKAT) : c))
    case "words_replaced_or_dropped": {
      const words = text.split(" ")
      const share = 0.01 + rand() * 0.02
      const vocabulary = words.filter((w) => w.length > 3)
      return words
        .flatMap((w) => (rand() >= share ? [w] : rand() < 0.5 ? [] : [pick(rand, vocabulary)]))
        .join(" ")
    }
  }
}

const wordSet = (text: string) => new Set(text.split(/\s+/u).filter((w) => w.length > 3))
const overlap = (a: ReadonlySet<string>, b: ReadonlySet<string>) => {
  let shared = 0
  for (const w of a) if (b.has(w)) shared++
  return shared / (a.size + b.size - shared || 1)
}

/** Articles sharing more words than this are copies or templates of each other, not distinct articles. */
const DISTINCT_BELOW = 0.5

/**
 * `originals` articles each get every edit once; each also gets the distractor most like it (by
 * shared words, yet distinct) among `pool` random other articles. Originals and distractors are
 * distinct from each other, so the corpus's own copies do not blur the truth. All records are shuffled.
 */
export const generateBenchmark = (articles: ReadonlyArray<CorpusArticle>, originals: number, rand: () => number, pool = 200): Array<BenchmarkRecord> => {
  const usable = articles.filter((a) => a.content.split(/\s+/u).length >= 150)
  const order = usable.map((_, i) => ({ i, r: rand() })).sort((a, b) => a.r - b.r).map((x) => x.i)
  const chosen: Array<number> = []
  const chosenWords: Array<ReadonlySet<string>> = []
  let next = 0
  while (chosen.length < originals && next < order.length) {
    const words = wordSet(usable[order[next]].content)
    if (chosenWords.every((w) => overlap(words, w) < DISTINCT_BELOW)) {
      chosen.push(order[next])
      chosenWords.push(words)
    }
    next++
  }
  const others = order.slice(next)
  const used = new Set<number>(chosen)
  const records: Array<BenchmarkRecord> = []
  for (const index of chosen) {
    const article = usable[index]
    const group = `g${index}`
    records.push({ id: `${group}-original`, group, edit: null, title: article.title, text: article.content, source: article.source })
    for (const edit of EDITS) {
      records.push({ id: `${group}-${edit}`, group, edit, title: article.title, text: applyEdit(article.content, edit, rand), source: `${article.source}-copy` })
    }
    const words = wordSet(article.content)
    let best = -1
    let bestOverlap = -1
    for (let k = 0; k < pool; k++) {
      const candidate = others[Math.floor(rand() * others.length)]
      if (used.has(candidate)) continue
      const candidateWords = wordSet(usable[candidate].content)
      const o = overlap(words, candidateWords)
      if (o > bestOverlap && o < DISTINCT_BELOW && chosenWords.every((w) => overlap(candidateWords, w) < DISTINCT_BELOW)) {
        best = candidate
        bestOverlap = o
      }
    }
    if (best >= 0) {
      used.add(best)
      chosenWords.push(wordSet(usable[best].content))
      const d = usable[best]
      records.push({ id: `d${best}-distractor`, group: `d${best}`, edit: null, title: d.title, text: d.content, source: d.source })
    }
  }
  return records.map((r) => ({ r, k: rand() })).sort((a, b) => a.k - b.k).map((x) => x.r)
}
