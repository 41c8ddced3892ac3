/**
 * Names no lexicon holds, found by their cue words (lexicons/patterns.json): a person after a title,
 * a place after a cue word such as مدينة or قضاء, a group after a head word such as تنظيم or لواء.
 * They run only on words the lexicon left free, and give unlinked mentions (`method: pattern`).
 */
import { normalizeForMatch } from "./normalize.js"
import { dropLetters, wordSketch, type PatternTagger, type Tag, type Words } from "./tag.js"
import type { Label } from "./types.js"

export interface PatternData {
  readonly person_titles: ReadonlyArray<string>
  readonly title_modifiers: ReadonlyArray<string>
  readonly kunya: ReadonlyArray<string>
  readonly place_cues: Readonly<Record<string, ReadonlyArray<string>>>
  readonly place_prefixes: ReadonlyArray<string>
  readonly group_heads: Readonly<Record<string, ReadonlyArray<string>>>
  readonly not_names: ReadonlyArray<string>
}

const norm = (word: string) => normalizeForMatch(word).replace(/ /gu, "")
const normSet = (words: ReadonlyArray<string>) => new Set(words.map(norm))
const byType = (groups: Readonly<Record<string, ReadonlyArray<string>>>) =>
  new Map(Object.entries(groups).flatMap(([type, words]) => words.map((w) => [norm(w), type] as const)))

const MAX_GROUP_NAME_WORDS = 3
const SON_OF = new Set(["بن", "بنت", "ابن"])

export const buildPatterns = (data: PatternData): PatternTagger => {
  const titles = data.person_titles.map((t) => normalizeForMatch(t).split(" "))
  const titleStarts = new Set(titles.map((t) => t[0]))
  const modifiers = normSet(data.title_modifiers)
  const kunya = normSet(data.kunya)
  const placeCues = byType(data.place_cues)
  const prefixes = normSet(data.place_prefixes)
  const groupHeads = byType(data.group_heads)
  const notNames = normSet(data.not_names)

  const mayBeCue = wordSketch([...titleStarts, ...placeCues.keys(), ...groupHeads.keys()])

  const tagger = (words: Words, taken: ReadonlyArray<boolean>, slice: (start: number, end: number) => string) => {
    const tags: Array<Tag> = []
    const free = (k: number) => k < words.length && !taken[k]
    /** A token that can be part of a name: free, no punctuation before it, a word of letters. */
    /** After a kunya any word goes (`أبو علي`: علي is also على written the Egyptian way). */
    const nameWord = (k: number) =>
      free(k) &&
      !words.opened(k) &&
      !words.closed(k - 1) &&
      /^\p{L}+$/u.test(words.norm(k)) &&
      (kunya.has(words.norm(k - 1)) || !words.readings(k).some((r) => notNames.has(r.word)))
    const emit = (from: number, to: number, label: Label, type: string, stripped = 0) => {
      const surface = slice(words.start(from), words.end(to))
      tags.push({ start: words.start(from), end: words.end(to), text: surface, name: dropLetters(surface, stripped), label, type, entity: null, method: "pattern", byDocument: undefined }) // the shape of the lexicon's tags
    }

    /**
     * A name by a pattern whose cue is word i, emitted; the last word it takes (i for none). A function
     * of its own: a closure in the loop over the words that took `i` made a context for every word.
     */
    const patternAt = (i: number): number => {
      const firstReadings = words.readings(i)
      const firstWords = firstReadings.map((r) => r.word)

      const title = firstWords.some((w) => titleStarts.has(w))
        ? titles.find((t) => firstWords.includes(t[0]) && t.every((w, k) => k === 0 || (free(i + k) && words.norm(i + k) === w)))
        : undefined
      if (title !== undefined) {
        let k = i + title.length
        let skipped = 0
        while (skipped < 4 && free(k) && !words.closed(k - 1) && isModifier(words.norm(k), modifiers)) {
          k++
          skipped++
        }
        const sonOf = (m: number) => free(m) && SON_OF.has(words.norm(m)) && nameWord(m + 1)
        // A first name and a family name; three words after a kunya (`أبو علي البصري`); `بن X` links extend it.
        let end = sonOf(k + 1) ? k : free(k) && kunya.has(words.norm(k)) ? k + 2 : k + 1
        while (sonOf(end + 1)) end += 2
        const ok = nameWord(k) && !words.norm(k).startsWith("ال") && Array.from({ length: end - k }, (_, m) => k + 1 + m).every((m) => nameWord(m) || sonOf(m))
        if (ok) {
          emit(k, end, "ACTOR", "PERSON")
          return end
        }
      }

      const cueType = firstReadings.map((r) => placeCues.get(r.word)).find((t) => t !== undefined)
      if (cueType !== undefined && nameWord(i + 1)) {
        const end = prefixes.has(words.norm(i + 1)) && nameWord(i + 2) ? i + 2 : i + 1
        emit(i + 1, end, "PLACE", cueType)
        return end
      }

      const headReading = firstReadings.find((r) => groupHeads.has(r.word))
      if (headReading !== undefined && nameWord(i + 1) && !words.norm(i + 1).startsWith("و")) {
        let end = i + 1
        while (end - i < MAX_GROUP_NAME_WORDS && nameWord(end + 1) && !words.norm(end + 1).startsWith("و")) end++
        emit(i, end, "ACTOR", groupHeads.get(headReading.word)!, headReading.stripped)
        return end
      }
      return i
    }

    for (let i = 0; i < words.length; i++) if (free(i) && words.mayStart(i) && words.mayRead(i, mayBeCue)) i = patternAt(i)
    return tags
  }
  return Object.assign(tagger, { cues: mayBeCue })
}

/** An office word or a nationality adjective (`السوري`, `الأمريكية`) between a title and a name. */
const isModifier = (word: string, modifiers: ReadonlySet<string>) =>
  modifiers.has(word) || (word.startsWith("ال") && word.length > 4 && (word.endsWith("ي") || word.endsWith("يه")))
