/**
 * Tagging places and actors: longest-match lookup of lexicon names over the normalized tokens of a
 * sentence, with Arabic proclitics stripped from the first token. Spans cover whole tokens less
 * their edge punctuation (ANNOTATION.md); `name` is the span without its proclitics.
 */
import { codePointSlicer, fromUnits, isWhitespace, isWordPart } from "./chars.js"
import { isNfkcSensitive, matchUnit, normalizeForMatch } from "./normalize.js"
import { grown } from "./grown.js"
import type { Label } from "./types.js"

export interface Entity {
  readonly id: string
  readonly label: Label
  readonly type: string
  readonly en: string
  readonly ar: ReadonlyArray<string>
  readonly lat?: number | null
  readonly lon?: number | null
  /** A place's country (ISO 3166-1 alpha-2), for `by_document` hints. */
  readonly country?: string | null
}

export interface Lexicon {
  readonly entities: ReadonlyArray<Entity>
  /** First normalized token → variants starting with it, longest first. */
  readonly byFirstToken: ReadonlyMap<string, ReadonlyArray<Variant>>
  /** Whether a word may be a first token: most words are ruled out without a map lookup. */
  readonly firstTokens: WordSketch
  /** The first words met so far, by the hash of their normalized form (see `firstWord`). */
  readonly firstWords: Map<number, FirstWord>
}

/** A normalized word's readings that start a variant, each with the variants it starts (longest first). */
interface FirstWord {
  readonly norm: string
  readonly starts: ReadonlyArray<{ readonly reading: Reading; readonly variants: ReadonlyArray<Variant> }>
}

const SKETCH_BITS = 1 << 20

/** A hash of a word's code units taken from its end, so the hashes of all its suffixes come in one pass. */
const wordHash = (word: string) => {
  let h = 0
  for (let k = word.length - 1; k >= 0; k--) h = (Math.imul(h, 31) + word.charCodeAt(k)) | 0
  return h
}

/**
 * A 1M-bit sketch of a set of words: false means the word is surely not in the set; true, that it may
 * be. Tokens are tested by hash (`hasHash`) without being made strings.
 */
export interface WordSketch {
  readonly has: (word: string) => boolean
  readonly bits: Uint8Array
}

const bitOf = (hash: number) => (hash ^ (hash >>> 20)) & (SKETCH_BITS - 1)

/** A plain function of the bits, not a method of each sketch: called through one target, it is inlined. */
const hasHash = (bits: Uint8Array, hash: number) => (bits[bitOf(hash) >> 3] & (1 << (bitOf(hash) & 7))) !== 0

const sketchOf = (bits: Uint8Array): WordSketch => ({ has: (word) => hasHash(bits, wordHash(word)), bits })

export const wordSketch = (words: Iterable<string>): WordSketch => {
  const bits = new Uint8Array(SKETCH_BITS / 8)
  for (const word of words) bits[bitOf(wordHash(word)) >> 3] |= 1 << (bitOf(wordHash(word)) & 7)
  return sketchOf(bits)
}

/** A sketch of the words of both sets. */
const sketchUnion = (a: WordSketch, b: WordSketch): WordSketch => sketchOf(a.bits.map((byte, i) => byte | b.bits[i]))

/** A variant that is also a common word: tagged only when quoted or after one of `after`. */
export interface ContextRule {
  readonly variant: string
  readonly entity: string
  readonly quoted: boolean
  readonly after: ReadonlyArray<string>
}

/** Words after which a variant is not a name (`إلى الغرب` is a direction), or before which (`السنة الماضية` is a year). */
export interface NeighbourRule {
  readonly variant: string
  readonly words: ReadonlyArray<string>
}

/**
 * Variants that name, in each document, one of several entities (or one entity or none), one sense per
 * document: bare `التحالف` is the coalition the document names in full, the anti-ISIS one or the
 * Saudi-led one in Yemen.
 */
export interface DocumentRule {
  readonly variants: ReadonlyArray<string>
  readonly entities: ReadonlyArray<string>
  /** Per entity, entities whose mention hints at it; `country:XX` stands for any place in country XX. */
  readonly hints?: Readonly<Record<string, ReadonlyArray<string> | undefined>>
  /** The entity when the document names none and hints at none; null: the variants are then no mention. */
  readonly otherwise: string | null
}

/** A DocumentRule with its entities looked up. */
interface ResolvedDocumentRule {
  readonly entities: ReadonlyArray<Entity>
  readonly hintOf: (entity: Entity) => number
  readonly otherwise: Entity | null
}

export interface AmbiguityRules {
  readonly only_in_context: ReadonlyArray<ContextRule>
  readonly not_after: ReadonlyArray<NeighbourRule>
  readonly not_before?: ReadonlyArray<NeighbourRule>
  /** Variants that are names only as written, not as matched (hamza and ta marbuta folded): `حديثه` (his talk) is not `حديثة`. */
  readonly spelled?: ReadonlyArray<string>
  /** Variants that name `entity` in the contexts given and, elsewhere, what the lexicons say: «الشرق الأوسط» is the newspaper. */
  readonly in_context?: ReadonlyArray<ContextRule>
  readonly by_document?: ReadonlyArray<DocumentRule>
}

interface Variant {
  readonly tokens: ReadonlyArray<string>
  readonly entity: Entity
  readonly onlyIn?: { readonly quoted: boolean; readonly after: ReadonlySet<string> }
  readonly notAfter?: ReadonlySet<string>
  readonly notBefore?: ReadonlySet<string>
  /** The last word as it must be written, diacritics aside. */
  readonly spelledAs?: string
  readonly byDocument?: ResolvedDocumentRule
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
  /** Its entity is decided by the rest of the document (`resolveByDocument`); `entity` is a stand-in till then. */
  readonly byDocument?: ResolvedDocumentRule
}

const words = (text: string) => normalizeForMatch(text).split(" ").filter((t) => t !== "")

/** A word as written, less its diacritics and tatweel. */
const withoutMarks = (text: string) => text.replace(/[\u064B-\u0652\u0670\u0640]/gu, "")

/** A quote between a word's proclitics and the rest: `لـ«الشرق`. */
const QUOTE_AFTER_PROCLITIC = /^[وفبلك]{1,3}\u0640*["'“«‘]/u

/** Whether a word is `as` written, its proclitics read off as the tagger reads them (`والسنة`, `للسنة`; not `ألسنة`). */
const isSpelled = (surface: string, as: string): boolean => readingsOf(withoutMarks(surface)).some((r) => r.word === as)

export const buildLexicon = (entities: ReadonlyArray<Entity>, rules: AmbiguityRules = { only_in_context: [], not_after: [] }): Lexicon => {
  const byFirstToken = new Map<string, Array<Variant>>()
  const seen = new Set<string>()
  const byId = new Map(entities.map((e) => [e.id, e]))
  const keyOf = (text: string) => words(text).join(" ")
  const wordsOf = (list: ReadonlyArray<NeighbourRule>) => new Map(list.map((r) => [keyOf(r.variant), new Set(r.words.map(keyOf))]))
  const notAfter = wordsOf(rules.not_after)
  const notBefore = wordsOf(rules.not_before ?? [])
  const spelled = new Map((rules.spelled ?? []).map((v) => [keyOf(v), withoutMarks(v.split(" ").at(-1)!)]))
  /** `claims`: the variant is no other entity's (the first entity listed wins a shared variant). */
  const add = (variant: Omit<Variant, "notAfter" | "notBefore" | "spelledAs" | "byDocument">, claims = true, byDocument?: ResolvedDocumentRule) => {
    const key = variant.tokens.join(" ")
    if (variant.tokens.length === 0 || seen.has(key)) return
    if (claims) seen.add(key)
    const list = byFirstToken.get(variant.tokens[0]) ?? []
    // One shape for every variant: spread from two, matchAt's loads of them went megamorphic.
    list.push({ tokens: variant.tokens, entity: variant.entity, onlyIn: variant.onlyIn, notAfter: notAfter.get(key), notBefore: notBefore.get(key), spelledAs: spelled.get(key), byDocument })
    byFirstToken.set(variant.tokens[0], list)
  }
  const entityOf = (id: string) => {
    const entity = byId.get(id)
    if (entity === undefined) throw new Error(`lexicons/ambiguous.json names an unknown entity: ${id}`)
    return entity
  }
  for (const rule of rules.by_document ?? []) {
    const candidates = rule.entities.map(entityOf)
    const hints = new Map<string, number>()
    candidates.forEach((candidate, c) => {
      for (const hint of rule.hints?.[candidate.id] ?? []) hints.set(hint.startsWith("country:") ? hint : entityOf(hint).id, c)
    })
    const resolved: ResolvedDocumentRule = {
      entities: candidates,
      hintOf: (entity) => hints.get(entity.id) ?? (entity.label === "PLACE" && entity.country ? hints.get(`country:${entity.country}`) : undefined) ?? -1,
      otherwise: rule.otherwise === null ? null : entityOf(rule.otherwise)
    }
    for (const variant of rule.variants) add({ tokens: words(variant), entity: resolved.otherwise ?? candidates[0] }, true, resolved)
  }
  const contextRules = [...rules.only_in_context.map((rule) => ({ rule, claims: true })), ...(rules.in_context ?? []).map((rule) => ({ rule, claims: false }))]
  for (const { rule, claims } of contextRules) {
    add({ tokens: words(rule.variant), entity: entityOf(rule.entity), onlyIn: { quoted: rule.quoted, after: new Set(rule.after.map(keyOf)) } }, claims)
  }
  for (const entity of entities) for (const variant of entity.ar) add({ tokens: words(variant), entity })
  for (const list of byFirstToken.values()) list.sort((a, b) => b.tokens.length - a.tokens.length)
  return { entities, byFirstToken, firstTokens: wordSketch(byFirstToken.keys()), firstWords: new Map() }
}

/** A word's numbers in `Words`: code-point span less edge punctuation, unit span of the surface, normalized units, flags. */
const START = 0
const END = 1
const FIRST = 2
const LAST = 3
const FROM = 4
const TO = 5
const FLAGS = 6
const STRIDE = 7

/** Punctuation right after the word: a multi-word name does not run across it. */
const CLOSED = 1
/** Punctuation right before the word (an opening quote): a multi-word name does not run into it. */
const OPENED = 2
const QUOTE_BEFORE = 4
const QUOTE_AFTER = 8
/** Some reading may start a name or a pattern (the sketch given to `scan`). */
const MAY_START = 16

/**
 * The words of a sentence as numbers in one typed array, no object per word: most words are ruled out
 * as names by their hash alone, and only the few that are not are made strings (`norm`, `readings`).
 * The tagger's are in buffers it reuses for the next sentence; `tokenize` gives ones of their own.
 */
export class Words {
  private norms: Array<string | undefined> | undefined
  private readingLists: Array<ReadonlyArray<Reading> | undefined> | undefined
  constructor(
    private readonly text: string,
    private readonly data: Int32Array,
    /** The normalized forms, word i's at `units[FROM, TO)`. */
    private readonly units: Uint16Array,
    readonly length: number,
    /** Code points in the text. */
    readonly codePoints: number
  ) {}

  /** A copy in buffers of its own, which the next scan does not overwrite. */
  copy(): Words {
    const used = this.length === 0 ? 0 : this.data[(this.length - 1) * STRIDE + TO]
    return new Words(this.text, this.data.slice(0, this.length * STRIDE), this.units.slice(0, used), this.length, this.codePoints)
  }

  /** Code-point offsets of word i less its edge punctuation. */
  start(i: number): number {
    return this.data[i * STRIDE + START]
  }
  end(i: number): number {
    return this.data[i * STRIDE + END]
  }
  surface(i: number): string {
    return this.text.slice(this.data[i * STRIDE + FIRST], this.data[i * STRIDE + LAST])
  }
  private flag(i: number, bit: number): boolean {
    return (this.data[i * STRIDE + FLAGS] & bit) !== 0
  }
  closed(i: number): boolean {
    return this.flag(i, CLOSED)
  }
  opened(i: number): boolean {
    return this.flag(i, OPENED)
  }
  quoteBefore(i: number): boolean {
    return this.flag(i, QUOTE_BEFORE)
  }
  quoteAfter(i: number): boolean {
    return this.flag(i, QUOTE_AFTER)
  }
  /** False when no reading can start a name or a pattern (by the sketch `scan` was given). */
  mayStart(i: number): boolean {
    return this.flag(i, MAY_START)
  }

  norm(i: number): string {
    this.norms ??= new Array(this.length)
    return (this.norms[i] ??= fromUnits(this.units.subarray(this.data[i * STRIDE + FROM], this.data[i * STRIDE + TO])))
  }

  /** `norm(i) === word`, without making the string. */
  normIs(i: number, word: string): boolean {
    const from = this.data[i * STRIDE + FROM]
    const to = this.data[i * STRIDE + TO]
    if (to - from !== word.length) return false
    for (let k = from; k < to; k++) if (this.units[k] !== word.charCodeAt(k - from)) return false
    return true
  }

  /** The hash of `norm(i)`, `wordHash`'s, without making the string. */
  normHash(i: number): number {
    let h = 0
    for (let k = this.data[i * STRIDE + TO] - 1; k >= this.data[i * STRIDE + FROM]; k--) h = (Math.imul(h, 31) + this.units[k]) | 0
    return h
  }

  readings(i: number): ReadonlyArray<Reading> {
    this.readingLists ??= new Array(this.length)
    return (this.readingLists[i] ??= readings(this.norm(i)))
  }

  /** Whether the sketch may hold one of word i's readings: `readings(i).some((r) => sketch.has(r.word))`, without strings. */
  mayRead(i: number, sketch: WordSketch): boolean {
    return mayRead(this.units, this.data[i * STRIDE + FROM], this.data[i * STRIDE + TO], sketch)
  }
}

const mayRead = (units: Uint16Array, from: number, to: number, sketch: WordSketch): boolean => {
  // SUFFIX_HASHES[s]: the hash of the word less its first s units (s ≤ 3, the longest proclitic run).
  let h = 0
  for (let k = to - 1; k >= from; k--) {
    h = (Math.imul(h, 31) + units[k]) | 0
    if (k - from <= 3) SUFFIX_HASHES[k - from] = h
  }
  const { bits } = sketch
  if (hasHash(bits, to === from ? 0 : SUFFIX_HASHES[0])) return true
  if (!isProcliticLetter(units[from])) return false
  const length = to - from
  for (const conj of CONJUNCTIONS) {
    const afterConj = conj === 0 ? 0 : units[from] === conj ? 1 : -1
    if (afterConj < 0) continue
    for (const prep of PREPOSITIONS) {
      const stripped = afterConj + (prep === 0 ? 0 : 1)
      if (stripped === 0 || (prep !== 0 && units[from + afterConj] !== prep) || length - stripped < 2) continue
      if (hasHash(bits, SUFFIX_HASHES[stripped])) return true
    }
    // لل: the reading is ال + the rest.
    const lil = afterConj + 2
    if (units[from + afterConj] !== LAM || units[from + afterConj + 1] !== LAM || length - lil < 2) continue
    if (hasHash(bits, (Math.imul((Math.imul(SUFFIX_HASHES[lil], 31) + LAM) | 0, 31) + ALEF) | 0)) return true
  }
  return false
}

const SUFFIX_HASHES = new Int32Array(4)
const LAM = 0x644
const ALEF = 0x627
/** و ف (0: none), then ب ك ل, in the order of `readingsOf`. */
const CONJUNCTIONS = [0, 0x648, 0x641]
const PREPOSITIONS = [0, 0x628, 0x643, LAM]

const isQuote = (cp: number) => cp === 0x22 || cp === 0x27 || cp === 0x201c || cp === 0x201d || cp === 0xab || cp === 0xbb || cp === 0x2018 || cp === 0x2019

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff

/** Unit index of the code point that ends at unit `end` (a surrogate pair counts as one). */
const previousCodePoint = (text: string, end: number) =>
  end >= 2 && isLowSurrogate(text.charCodeAt(end - 1)) && isHighSurrogate(text.charCodeAt(end - 2)) ? end - 2 : end - 1

/**
 * What tokenizing needs to know of a code unit, in one lookup: the unit `normalizeForMatch` makes of
 * it (low 16 bits) and flags. A high surrogate is looked at again with the unit after it.
 */
const WHITESPACE = 1 << 16
const WORD_PART = 1 << 17
const NFKC_SENSITIVE = 1 << 18
/** `normalizeForMatch` drops the unit or makes it a separator: not part of the normalized word. */
const NOT_IN_NORM = 1 << 19
/** The flags of a plain word unit (WORD_PART alone): one that needs none of the scan's special cases. */
const PLAIN_WORD_MASK = WHITESPACE | WORD_PART | NFKC_SENSITIVE | NOT_IN_NORM
const UNIT_CLASSES = (() => {
  const table = new Int32Array(0x10000)
  for (let unit = 0; unit < 0x10000; unit++) {
    const mapped = matchUnit(unit)
    table[unit] =
      (mapped === -1 || mapped === 32 ? NOT_IN_NORM : mapped) |
      (isWhitespace(unit) ? WHITESPACE : 0) |
      (isWordPart(unit) ? WORD_PART : 0) |
      (isNfkcSensitive(unit) ? NFKC_SENSITIVE : 0)
  }
  return table
})()

/**
 * The scan's buffers, reused: a typed array of more than 64 bytes is allocated outside V8's heap, which
 * costs about a microsecond, as much as scanning a sentence's first words.
 */
let scratchData = new Int32Array(1 << 12)
let scratchUnits: Uint16Array = new Uint16Array(1 << 12)

/** The words of a text, valid until the next scan; `starts` decides `mayStart` (every word may start when it is not given). */
const scan = (text: string, starts?: WordSketch): Words => {
  const n = text.length
  let data = scratchData
  let units = scratchUnits
  let count = 0
  let used = 0
  let i = 0
  let cp = 0 // code-point index of unit i
  while (i < n) {
    if ((UNIT_CLASSES[text.charCodeAt(i)] & WHITESPACE) !== 0) {
      i++
      cp++
      continue
    }
    // One whitespace token, units [tokenStart, i): its word part without edge punctuation is [first, last),
    // normalized into units[from, usedAtLast) as it is read; NFKC is needed when a unit in it is sensitive.
    const tokenStart = i
    const from = used
    let first = -1
    let firstCp = 0
    let last = 0
    let lastCp = 0
    let usedAtLast = used
    let sensitive = false
    let sensitiveAtLast = false
    // Checked here, not in `grown` (see there).
    if (used + n - i > units.length) units = grown(units, used + n - i)
    while (i < n) {
      if (first !== -1) {
        // Most of a word is a run of units that are word parts and their own normalized unit: taken in a loop of their own.
        const from = i
        for (; i < n; i++) {
          const classes = UNIT_CLASSES[text.charCodeAt(i)]
          if ((classes & PLAIN_WORD_MASK) !== WORD_PART) break
          units[used++] = classes
        }
        if (i > from) {
          cp += i - from
          last = i
          lastCp = cp
          usedAtLast = used
          sensitiveAtLast = sensitive
          if (i === n) break
        }
      }
      const unit = text.charCodeAt(i)
      const classes = UNIT_CLASSES[unit]
      if ((classes & WHITESPACE) !== 0) break
      let size = 1
      let wordPart = (classes & WORD_PART) !== 0
      if (isHighSurrogate(unit) && i + 1 < n && isLowSurrogate(text.charCodeAt(i + 1))) {
        size = 2
        wordPart = isWordPart(text.codePointAt(i)!)
      }
      if (first === -1 && wordPart) {
        first = i
        firstCp = cp
      }
      if (first !== -1) {
        sensitive ||= (classes & NFKC_SENSITIVE) !== 0
        if ((classes & NOT_IN_NORM) === 0) units[used++] = classes
        if (size === 2) units[used++] = text.charCodeAt(i + 1)
      }
      if (wordPart) {
        last = i + size
        lastCp = cp + 1
        usedAtLast = used
        sensitiveAtLast = sensitive
      }
      i += size
      cp++
    }
    used = usedAtLast
    if (first === -1) {
      // A token of punctuation alone (` : `, ` - `) separates the words around it.
      if (count > 0) data[(count - 1) * STRIDE + FLAGS] |= CLOSED
      continue
    }
    if (sensitiveAtLast) {
      const norm = normalizeForMatch(text.slice(first, last))
      units = grown(units, from + norm.length)
      used = from
      for (let j = 0; j < norm.length; j++) if (norm.charCodeAt(j) !== 32) units[used++] = norm.charCodeAt(j)
    }
    const at = count++ * STRIDE
    if (at + STRIDE > data.length) data = grown(data, at + STRIDE)
    data[at + START] = firstCp
    data[at + END] = lastCp
    data[at + FIRST] = first
    data[at + LAST] = last
    data[at + FROM] = from
    data[at + TO] = used
    data[at + FLAGS] =
      (last < i ? CLOSED : 0) |
      (first > tokenStart ? OPENED : 0) |
      (first > tokenStart && isQuote(text.codePointAt(previousCodePoint(text, first))!) ? QUOTE_BEFORE : 0) |
      (last < i && isQuote(text.codePointAt(last)!) ? QUOTE_AFTER : 0) |
      (starts === undefined || mayRead(units, from, used, starts) ? MAY_START : 0)
  }
  scratchData = data
  scratchUnits = units
  return new Words(text, data, units, count, cp)
}

/** The words of a text, in buffers of their own. */
export const tokenize = (text: string, starts?: WordSketch): Words => scan(text, starts).copy()

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
  if (letters === 0) return surface
  const chars = [...surface]
  let i = 0
  let dropped = 0
  while (i < chars.length && dropped < letters) {
    i++
    dropped++
    while (i < chars.length && /\p{M}/u.test(chars[i])) i++
  }
  while (i < chars.length && !/[\p{L}\p{N}]/u.test(chars[i])) i++
  return chars.slice(i).join("")
}

const ADMIN_CUES = new Set(["قضاء", "محافظه", "ناحيه", "ولايه", "اقليم"])
const CITY_CUES = new Set(["مدينه", "بلده", "قريه", "حي"])

/** A place's type may be set by the cue word before it: `قضاء تلعفر` is ADMIN, `مدينة دير الزور` a CITY. */
const typeInContext = (entity: Entity, words: Words, i: number): string => {
  if (entity.label !== "PLACE" || i === 0 || words.closed(i - 1)) return entity.type
  const cue = words.readings(i - 1).map((r) => r.word)
  if (cue.some((w) => ADMIN_CUES.has(w))) return "ADMIN"
  if (cue.some((w) => CITY_CUES.has(w)) && entity.type === "ADMIN") return "CITY"
  return entity.type
}

/** Whether words i - 1 and i stand side by side, no punctuation between. */
const touching = (words: Words, i: number) => i > 0 && i < words.length && !words.closed(i - 1) && !words.opened(i)

/** The previous word with its proclitics stripped, in all readings; empty across punctuation. */
const previousWords = (words: Words, i: number): Array<string> => (touching(words, i) ? words.readings(i - 1).map((r) => r.word) : [])

/** Word i with its proclitics stripped, in all readings, when it touches word i - 1; else empty. */
const nextWords = (words: Words, i: number): Array<string> => (touching(words, i) ? words.readings(i).map((r) => r.word) : [])

/**
 * `afterPlace`: word i follows a place name with `و` (`والرقة وتدمر`), which is context enough for a
 * place that needs one.
 */
const fitsContext = (variant: Variant, words: Words, i: number, afterPlace: boolean): boolean => {
  const before = previousWords(words, i)
  if (variant.notAfter !== undefined && before.some((w) => variant.notAfter!.has(w))) return false
  if (variant.notBefore !== undefined && nextWords(words, i + variant.tokens.length).some((w) => variant.notBefore!.has(w))) return false
  if (variant.spelledAs !== undefined && !isSpelled(words.surface(i + variant.tokens.length - 1), variant.spelledAs)) return false
  if (variant.onlyIn === undefined) return true
  const quoted = (words.quoteBefore(i) || QUOTE_AFTER_PROCLITIC.test(words.surface(i))) && words.quoteAfter(i + variant.tokens.length - 1)
  const listed = afterPlace && variant.entity.label === "PLACE" && words.surface(i).startsWith("و")
  return (variant.onlyIn.quoted && quoted) || listed || before.some((w) => variant.onlyIn!.after.has(w))
}

/**
 * A community name right after a definite noun is an adjective, not a name (`المسؤولين العراقيين`,
 * `والمقاتلون الأكراد`); with a proclitic of its own it is a name again (`الحياة العادية للعراقيين`).
 */
const isAttributive = (variant: Variant, stripped: number, words: Words, i: number): boolean =>
  variant.entity.type === "COMMUNITY" && stripped === 0 && previousWords(words, i).some((w) => w.startsWith("ال") && w.length > 3)

/**
 * Word i's readings that start a variant. The few words that may start one are met again and again
 * (a tenth of all words, some thousands of them): found by hash in the lexicon's cache, they need no
 * strings, no readings and no map lookups by string.
 */
const firstWord = (words: Words, i: number, lexicon: Lexicon): FirstWord => {
  const hash = words.normHash(i) & 0x3fffffff // a small integer: a key V8 hashes fastest
  const cached = lexicon.firstWords.get(hash)
  if (cached !== undefined && words.normIs(i, cached.norm)) return cached
  const starts = words.readings(i).flatMap((reading) => {
    const variants = lexicon.byFirstToken.get(reading.word)
    return variants === undefined ? [] : [{ reading, variants }]
  })
  const found = { norm: words.norm(i), starts }
  // A word of the same hash keeps its place; the cache stops growing at a size no corpus of news reaches.
  if (cached === undefined && lexicon.firstWords.size < 1 << 18) lexicon.firstWords.set(hash, found)
  return found
}

const matchAt = (words: Words, i: number, lexicon: Lexicon, afterPlace: boolean) => {
  let best: { variant: Variant; stripped: number; article: boolean } | null = null
  if (!words.mayStart(i) || !words.mayRead(i, lexicon.firstTokens)) return null
  for (const { reading, variants } of firstWord(words, i, lexicon).starts) {
    for (const variant of variants) {
      if (best !== null && best.variant.tokens.length >= variant.tokens.length) break
      const n = variant.tokens.length
      let ok = i + n <= words.length
      for (let k = 1; ok && k < n; k++) {
        ok = words.normIs(i + k, variant.tokens[k]) && !words.closed(i + k - 1) && !words.opened(i + k)
      }
      if (ok && fitsContext(variant, words, i, afterPlace) && !isAttributive(variant, reading.stripped, words, i)) {
        best = { variant, stripped: reading.stripped, article: reading.article }
      }
    }
  }
  return best
}

/** Names found by patterns where no lexicon name was, given the words the lexicon took. */
export interface PatternTagger {
  (words: Words, taken: ReadonlyArray<boolean>, slice: (start: number, end: number) => string): Array<Tag>
  /** The words a pattern starts with. */
  readonly cues: WordSketch
}

/** Lexicon first tokens and pattern cues in one sketch, per lexicon and pattern set: one test rules most words out of both. */
const startSketches = new WeakMap<Lexicon, WeakMap<PatternTagger, WordSketch>>()
const startSketch = (lexicon: Lexicon, patterns: PatternTagger) => {
  const byPatterns = startSketches.get(lexicon) ?? new WeakMap<PatternTagger, WordSketch>()
  startSketches.set(lexicon, byPatterns)
  const sketch = byPatterns.get(patterns) ?? sketchUnion(lexicon.firstTokens, patterns.cues)
  byPatterns.set(patterns, sketch)
  return sketch
}

const NONE_TAKEN: Array<boolean> = []

/** Mentions of one sentence: lexicon names left to right, longest first, then pattern names in the gaps. */
export const tagSentence = (text: string, lexicon: Lexicon, patterns?: PatternTagger): Array<Tag> => {
  const words = scan(text, patterns === undefined ? lexicon.firstTokens : startSketch(lexicon, patterns))
  const slice = codePointSlicer(text, words.codePoints)
  // Words a name took; made only when one does (a word past the end reads as not taken).
  let taken: Array<boolean> = NONE_TAKEN
  const tags: Array<Tag> = []
  let lastPlaceWord = -2
  for (let i = 0; i < words.length; i++) {
    const match = matchAt(words, i, lexicon, lastPlaceWord === i - 1 && !words.closed(i - 1))
    if (match === null) continue
    const last = i + match.variant.tokens.length - 1
    const surface = slice(words.start(i), words.end(last))
    const bare = dropLetters(surface, match.stripped)
    tags.push({
      start: words.start(i),
      end: words.end(last),
      text: surface,
      name: match.article ? "ال" + bare : bare,
      label: match.variant.entity.label,
      type: typeInContext(match.variant.entity, words, i),
      entity: match.variant.entity,
      method: "lexicon",
      byDocument: match.variant.byDocument
    })
    if (taken === NONE_TAKEN) taken = new Array<boolean>(words.length).fill(false)
    taken.fill(true, i, last + 1)
    if (match.variant.entity.label === "PLACE") lastPlaceWord = last
    i = last
  }
  if (patterns === undefined) return tags
  const found = patterns(words, taken, slice)
  // Each list is in order already.
  return found.length === 0 ? tags : tags.length === 0 ? found : [...tags, ...found].sort((a, b) => a.start - b.start)
}

/**
 * A document's tags, sentence by sentence, with the entity of each `byDocument` tag decided, one sense
 * per document: the candidate the document names most by other variants, on a tie the one it hints at
 * most (the first listed on a tie again); when it names and hints at none, the rule's `otherwise`, and
 * when that is null the tag is dropped.
 */
export const resolveByDocument = (tagsBySentence: ReadonlyArray<ReadonlyArray<Tag>>): ReadonlyArray<ReadonlyArray<Tag>> => {
  const rules = new Set<ResolvedDocumentRule>()
  for (const tags of tagsBySentence) for (const tag of tags) if (tag.byDocument !== undefined) rules.add(tag.byDocument)
  if (rules.size === 0) return tagsBySentence
  const chosen = new Map<ResolvedDocumentRule, Entity | null>()
  for (const rule of rules) {
    const named = rule.entities.map(() => 0)
    const hinted = rule.entities.map(() => 0)
    for (const tags of tagsBySentence)
      for (const { entity, byDocument } of tags) {
        if (entity === null || byDocument !== undefined) continue
        const c = rule.entities.indexOf(entity)
        if (c !== -1) named[c]++
        const h = rule.hintOf(entity)
        if (h !== -1) hinted[h]++
      }
    let best = -1
    for (let c = 0; c < rule.entities.length; c++) {
      if (named[c] + hinted[c] === 0) continue
      if (best === -1 || named[c] > named[best] || (named[c] === named[best] && hinted[c] > hinted[best])) best = c
    }
    chosen.set(rule, best === -1 ? rule.otherwise : rule.entities[best])
  }
  return tagsBySentence.map((tags) =>
    tags.flatMap((tag) => {
      if (tag.byDocument === undefined) return [tag]
      const entity = chosen.get(tag.byDocument)!
      return entity === null ? [] : [{ ...tag, entity, label: entity.label, type: entity.type, byDocument: undefined }]
    })
  )
}
