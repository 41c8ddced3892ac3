/**
 * Tagging places and actors: longest-match lookup of lexicon names over the normalized tokens of a
 * sentence, with Arabic proclitics stripped from the first token. Spans cover whole tokens less
 * their edge punctuation (ANNOTATION.md); `name` is the span without its proclitics.
 */
import { codePointSlicer, isWhitespace, isWordPart } from "./chars.js"
import { normalizeForMatch } from "./normalize.js"
import type { Label } from "./types.js"

export interface Entity {
  readonly id: string
  readonly label: Label
  readonly type: string
  readonly en: string
  readonly ar: ReadonlyArray<string>
  readonly lat?: number | null
  readonly lon?: number | null
}

export interface Lexicon {
  readonly entities: ReadonlyArray<Entity>
  /** First normalized token → variants starting with it, longest first. */
  readonly byFirstToken: ReadonlyMap<string, ReadonlyArray<Variant>>
  /** Whether a word may be a first token: most words are ruled out without a map lookup. */
  readonly mayStartName: (word: string) => boolean
}

const SKETCH_BITS = 1 << 16

/** A cheap hash of a word's first and last letters and length. */
const sketch = (word: string) => (Math.imul(word.charCodeAt(0), 31 * 31) + Math.imul(word.charCodeAt(word.length - 1), 31) + word.length) & (SKETCH_BITS - 1)

/**
 * A 64K-bit sketch of a set of words: false means the word is surely not in the set; true, that it may be
 * (a Set lookup hashes the whole of each new string; this looks at three numbers).
 */
export const wordSketch = (words: Iterable<string>): ((word: string) => boolean) => {
  const bits = new Uint8Array(SKETCH_BITS / 8)
  for (const word of words) bits[sketch(word) >> 3] |= 1 << (sketch(word) & 7)
  return (word) => {
    const bit = sketch(word)
    return (bits[bit >> 3] & (1 << (bit & 7))) !== 0
  }
}

/** A variant that is also a common word: tagged only when quoted or after one of `after`. */
export interface ContextRule {
  readonly variant: string
  readonly entity: string
  readonly quoted: boolean
  readonly after: ReadonlyArray<string>
}

/** Words after which a variant is not a name (`إلى الغرب` is a direction). */
export interface NotAfterRule {
  readonly variant: string
  readonly words: ReadonlyArray<string>
}

export interface AmbiguityRules {
  readonly only_in_context: ReadonlyArray<ContextRule>
  readonly not_after: ReadonlyArray<NotAfterRule>
}

interface Variant {
  readonly tokens: ReadonlyArray<string>
  readonly entity: Entity
  readonly onlyIn?: { readonly quoted: boolean; readonly after: ReadonlySet<string> }
  readonly notAfter?: ReadonlySet<string>
}

export interface Tag {
  /** Code-point span in the sentence text. */
  readonly start: number
  readonly end: number
  readonly text: string
  readonly name: string
  readonly label: Label
  readonly type: string
  /** The linked entity; null for a name found by a pattern. */
  readonly entity: Entity | null
  readonly method: "lexicon" | "pattern"
}

const words = (text: string) => normalizeForMatch(text).split(" ").filter((t) => t !== "")

export const buildLexicon = (entities: ReadonlyArray<Entity>, rules: AmbiguityRules = { only_in_context: [], not_after: [] }): Lexicon => {
  const byFirstToken = new Map<string, Array<Variant>>()
  const seen = new Set<string>()
  const byId = new Map(entities.map((e) => [e.id, e]))
  const notAfter = new Map(rules.not_after.map((r) => [words(r.variant).join(" "), new Set(r.words.map((w) => words(w).join(" ")))]))
  const add = (variant: Omit<Variant, "notAfter">) => {
    const key = variant.tokens.join(" ")
    if (variant.tokens.length === 0 || seen.has(key)) return // the first entity listed wins a shared variant
    seen.add(key)
    const list = byFirstToken.get(variant.tokens[0]) ?? []
    list.push({ ...variant, notAfter: notAfter.get(key) })
    byFirstToken.set(variant.tokens[0], list)
  }
  for (const rule of rules.only_in_context) {
    const entity = byId.get(rule.entity)
    if (entity === undefined) throw new Error(`lexicons/ambiguous.json names an unknown entity: ${rule.entity}`)
    add({ tokens: words(rule.variant), entity, onlyIn: { quoted: rule.quoted, after: new Set(rule.after.map((w) => words(w).join(" "))) } })
  }
  for (const entity of entities) for (const variant of entity.ar) add({ tokens: words(variant), entity })
  for (const list of byFirstToken.values()) list.sort((a, b) => b.tokens.length - a.tokens.length)
  return { entities, byFirstToken, mayStartName: wordSketch(byFirstToken.keys()) }
}

export interface Token {
  /** Code-point offsets of the token less its edge punctuation. */
  readonly start: number
  readonly end: number
  readonly surface: string
  readonly norm: string
  readonly readings: ReadonlyArray<Reading>
  /** Punctuation right after the word: a multi-word name does not run across it. */
  readonly closed: boolean
  /** Punctuation right before the word (an opening quote): a multi-word name does not run into it. */
  readonly opened: boolean
  readonly quoteBefore: boolean
  readonly quoteAfter: boolean
}

const isQuote = (cp: number) => cp === 0x22 || cp === 0x27 || cp === 0x201c || cp === 0x201d || cp === 0xab || cp === 0xbb || cp === 0x2018 || cp === 0x2019

/** Unit index of the code point that ends at unit `end` (a surrogate pair counts as one). */
const previousCodePoint = (text: string, end: number) => {
  const unit = text.charCodeAt(end - 1)
  const pair = unit >= 0xdc00 && unit <= 0xdfff && end >= 2 && text.charCodeAt(end - 2) >= 0xd800 && text.charCodeAt(end - 2) <= 0xdbff
  return pair ? end - 2 : end - 1
}

const unitsOf = (cp: number) => (cp > 0xffff ? 2 : 1)

export const tokenize = (text: string): Array<Token> => scan(text).tokens

/** The tokens of a text, and how many code points it has. */
const scan = (text: string): { readonly tokens: Array<Token>; readonly codePoints: number } => {
  const tokens: Array<Token> = []
  const n = text.length
  let i = 0
  let cp = 0 // code-point index of unit i
  while (i < n) {
    if (isWhitespace(text.charCodeAt(i))) {
      i++
      cp++
      continue
    }
    // One whitespace token, units [tokenStart, i): then its word part without edge punctuation.
    const tokenStart = i
    const startCp = cp
    while (i < n && !isWhitespace(text.charCodeAt(i))) {
      i += unitsOf(text.codePointAt(i)!)
      cp++
    }
    let first = tokenStart
    let firstCp = startCp
    while (first < i && !isWordPart(text.codePointAt(first)!)) {
      first += unitsOf(text.codePointAt(first)!)
      firstCp++
    }
    if (first === i) {
      // A token of punctuation alone (` : `, ` - `) separates the words around it.
      if (tokens.length > 0) tokens[tokens.length - 1] = { ...tokens[tokens.length - 1], closed: true }
      continue
    }
    let last = i
    let lastCp = cp
    while (last > first && !isWordPart(text.codePointAt(previousCodePoint(text, last))!)) {
      last = previousCodePoint(text, last)
      lastCp--
    }
    const surface = text.slice(first, last)
    const matched = normalizeForMatch(surface)
    const norm = matched.includes(" ") ? matched.replaceAll(" ", "") : matched
    tokens.push({
      start: firstCp,
      end: lastCp,
      surface,
      norm,
      readings: readings(norm),
      closed: last < i,
      opened: first > tokenStart,
      quoteBefore: first > tokenStart && isQuote(text.codePointAt(previousCodePoint(text, first))!),
      quoteAfter: last < i && isQuote(text.codePointAt(last)!)
    })
  }
  return { tokens, codePoints: cp }
}

/**
 * Readings of a normalized token with proclitics stripped: و ف, then ب ك ل, and `لل` for ل + ال.
 * Each reading gives how many letters were stripped and whether an article `ال` was restored.
 */
export interface Reading {
  readonly word: string
  readonly stripped: number
  readonly article: boolean
}

const readingsOf = (token: string): ReadonlyArray<Reading> => {
  const out: Array<Reading> = [{ word: token, stripped: 0, article: false }]
  for (const conj of ["", "و", "ف"]) {
    for (const prep of ["", "ب", "ك", "ل"]) {
      const prefix = conj + prep
      if (prefix === "" || !token.startsWith(prefix) || token.length - prefix.length < 2) continue
      out.push({ word: token.slice(prefix.length), stripped: prefix.length, article: false })
    }
    const lilPrefix = conj + "لل"
    if (token.startsWith(lilPrefix) && token.length - lilPrefix.length >= 2) {
      out.push({ word: "ال" + token.slice(lilPrefix.length), stripped: lilPrefix.length, article: true })
    }
  }
  return out
}

/** و ف ب ك ل */
const isProcliticLetter = (unit: number) => unit === 0x648 || unit === 0x641 || unit === 0x628 || unit === 0x643 || unit === 0x644

/** Computed afresh each time: cheaper than a cache lookup of a new string. */
export const readings = (token: string): ReadonlyArray<Reading> =>
  isProcliticLetter(token.charCodeAt(0)) ? readingsOf(token) : [{ word: token, stripped: 0, article: false }]

/** The surface less its first `letters` letters (with their marks) and any punctuation after them (`ب«الشرق`). */
export const dropLetters = (surface: string, letters: number): string => {
  const chars = [...surface]
  let i = 0
  let dropped = 0
  while (i < chars.length && dropped < letters) {
    i++
    dropped++
    while (i < chars.length && /\p{M}/u.test(chars[i])) i++
  }
  if (letters > 0) while (i < chars.length && !/[\p{L}\p{N}]/u.test(chars[i])) i++
  return chars.slice(i).join("")
}

const ADMIN_CUES = new Set(["قضاء", "محافظه", "ناحيه", "ولايه", "اقليم"])
const CITY_CUES = new Set(["مدينه", "بلده", "قريه", "حي"])

/** A place's type may be set by the cue word before it: `قضاء تلعفر` is ADMIN, `مدينة دير الزور` a CITY. */
const typeInContext = (entity: Entity, previous: Token | undefined): string => {
  if (entity.label !== "PLACE" || previous === undefined || previous.closed) return entity.type
  const cue = previous.readings.map((r) => r.word)
  if (cue.some((w) => ADMIN_CUES.has(w))) return "ADMIN"
  if (cue.some((w) => CITY_CUES.has(w)) && entity.type === "ADMIN") return "CITY"
  return entity.type
}

/** The previous word with its proclitics stripped, in all readings; empty across punctuation. */
const previousWords = (tokens: ReadonlyArray<Token>, i: number): Array<string> => {
  const previous = tokens[i - 1]
  if (previous === undefined || previous.closed || tokens[i].opened) return []
  return previous.readings.map((r) => r.word)
}

const fitsContext = (variant: Variant, tokens: ReadonlyArray<Token>, i: number): boolean => {
  const before = previousWords(tokens, i)
  if (variant.notAfter !== undefined && before.some((w) => variant.notAfter!.has(w))) return false
  if (variant.onlyIn === undefined) return true
  const quoted = tokens[i].quoteBefore && tokens[i + variant.tokens.length - 1].quoteAfter
  return (variant.onlyIn.quoted && quoted) || before.some((w) => variant.onlyIn!.after.has(w))
}

/**
 * A community name right after a definite noun is an adjective, not a name (`المسؤولين العراقيين`,
 * `والمقاتلون الأكراد`); with a proclitic of its own it is a name again (`الحياة العادية للعراقيين`).
 */
const isAttributive = (variant: Variant, stripped: number, tokens: ReadonlyArray<Token>, i: number): boolean =>
  variant.entity.type === "COMMUNITY" && stripped === 0 && previousWords(tokens, i).some((w) => w.startsWith("ال") && w.length > 3)

const matchAt = (tokens: ReadonlyArray<Token>, i: number, lexicon: Lexicon) => {
  let best: { variant: Variant; stripped: number; article: boolean } | null = null
  for (const reading of tokens[i].readings) {
    if (!lexicon.mayStartName(reading.word)) continue
    for (const variant of lexicon.byFirstToken.get(reading.word) ?? []) {
      if (best !== null && best.variant.tokens.length >= variant.tokens.length) break
      const n = variant.tokens.length
      let ok = i + n <= tokens.length
      for (let k = 1; ok && k < n; k++) {
        ok = tokens[i + k].norm === variant.tokens[k] && !tokens[i + k - 1].closed && !tokens[i + k].opened
      }
      if (ok && fitsContext(variant, tokens, i) && !isAttributive(variant, reading.stripped, tokens, i)) {
        best = { variant, stripped: reading.stripped, article: reading.article }
      }
    }
  }
  return best
}

/** Names found by patterns where no lexicon name was, given the tokens the lexicon took. */
export type PatternTagger = (tokens: ReadonlyArray<Token>, taken: ReadonlyArray<boolean>, slice: (start: number, end: number) => string) => Array<Tag>

/** Mentions of one sentence: lexicon names left to right, longest first, then pattern names in the gaps. */
export const tagSentence = (text: string, lexicon: Lexicon, patterns?: PatternTagger): Array<Tag> => {
  const { tokens, codePoints } = scan(text)
  const slice = codePoints === text.length ? (start: number, end: number) => text.slice(start, end) : codePointSlicer(text)
  const taken = tokens.map(() => false)
  const tags: Array<Tag> = []
  for (let i = 0; i < tokens.length; i++) {
    const match = matchAt(tokens, i, lexicon)
    if (match === null) continue
    const n = match.variant.tokens.length
    const last = tokens[i + n - 1]
    const surface = slice(tokens[i].start, last.end)
    const bare = dropLetters(surface, match.stripped)
    tags.push({
      start: tokens[i].start,
      end: last.end,
      text: surface,
      name: match.article ? "ال" + bare : bare,
      label: match.variant.entity.label,
      type: typeInContext(match.variant.entity, tokens[i - 1]),
      entity: match.variant.entity,
      method: "lexicon"
    })
    taken.fill(true, i, i + n)
    i += n - 1
  }
  if (patterns === undefined) return tags
  return [...tags, ...patterns(tokens, taken, slice)].sort((a, b) => a.start - b.start)
}
