/**
 * Tagging places and actors: longest-match lookup of lexicon names over the normalized tokens of a
 * sentence, with Arabic proclitics stripped from the first token. Spans cover whole tokens less
 * their edge punctuation (ANNOTATION.md); `name` is the span without its proclitics.
 */
import { codePointSlicer, fromUnits, isWhitespace, isWordPart } from "./chars.js"
import { isNfkcSensitive, matchUnit, normalizeForMatch } from "./normalize.js"
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
  readonly firstTokens: WordSketch
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
  readonly hasHash: (hash: number) => boolean
  readonly bits: Uint8Array
}

const bitOf = (hash: number) => (hash ^ (hash >>> 20)) & (SKETCH_BITS - 1)

const sketchOf = (bits: Uint8Array): WordSketch => {
  const hasHash = (hash: number) => (bits[bitOf(hash) >> 3] & (1 << (bitOf(hash) & 7))) !== 0
  return { has: (word) => hasHash(wordHash(word)), hasHash, bits }
}

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
  return { entities, byFirstToken, firstTokens: wordSketch(byFirstToken.keys()) }
}

/**
 * A word of a sentence. Its normalized form is kept as code units and made a string only when asked
 * for: most words are ruled out as names by `mayRead` alone.
 */
export class Token {
  /** False when no reading can start a name or a pattern (set by `tagSentence`, which asks once for both). */
  mayStart = true
  private normText: string | undefined
  private readingList: ReadonlyArray<Reading> | undefined
  constructor(
    private readonly text: string,
    /** Unit offsets of the surface in the sentence. */
    private readonly first: number,
    private readonly last: number,
    /** Code-point offsets of the token less its edge punctuation. */
    readonly start: number,
    readonly end: number,
    /** The normalized form: `units[from, to)`. */
    private readonly units: Uint16Array,
    private readonly from: number,
    private readonly to: number,
    /** Punctuation right after the word: a multi-word name does not run across it. */
    public closed: boolean,
    /** Punctuation right before the word (an opening quote): a multi-word name does not run into it. */
    readonly opened: boolean,
    readonly quoteBefore: boolean,
    readonly quoteAfter: boolean
  ) {}

  get surface(): string {
    return this.text.slice(this.first, this.last)
  }

  get norm(): string {
    return (this.normText ??= fromUnits(this.units.subarray(this.from, this.to)))
  }

  get readings(): ReadonlyArray<Reading> {
    return (this.readingList ??= readings(this.norm))
  }

  /** Whether the sketch may hold one of the token's readings: `readings.some((r) => sketch.has(r.word))`, without strings. */
  mayRead(sketch: WordSketch): boolean {
    const { units, from, to } = this
    // SUFFIX_HASHES[s]: the hash of the word less its first s units (s ≤ 3, the longest proclitic run).
    let h = 0
    for (let k = to - 1; k >= from; k--) {
      h = (Math.imul(h, 31) + units[k]) | 0
      if (k - from <= 3) SUFFIX_HASHES[k - from] = h
    }
    if (sketch.hasHash(to === from ? 0 : SUFFIX_HASHES[0])) return true
    if (!isProcliticLetter(units[from])) return false
    const length = to - from
    for (const conj of CONJUNCTIONS) {
      const afterConj = conj === 0 ? 0 : units[from] === conj ? 1 : -1
      if (afterConj < 0) continue
      for (const prep of PREPOSITIONS) {
        const stripped = afterConj + (prep === 0 ? 0 : 1)
        if (stripped === 0 || (prep !== 0 && units[from + afterConj] !== prep) || length - stripped < 2) continue
        if (sketch.hasHash(SUFFIX_HASHES[stripped])) return true
      }
      // لل: the reading is ال + the rest.
      const lil = afterConj + 2
      if (units[from + afterConj] !== LAM || units[from + afterConj + 1] !== LAM || length - lil < 2) continue
      if (sketch.hasHash((Math.imul((Math.imul(SUFFIX_HASHES[lil], 31) + LAM) | 0, 31) + ALEF) | 0)) return true
    }
    return false
  }
}

const SUFFIX_HASHES = new Int32Array(4)
const LAM = 0x644
const ALEF = 0x627
/** و ف (0: none), then ب ك ل, in the order of `readingsOf`. */
const CONJUNCTIONS = [0, 0x648, 0x641]
const PREPOSITIONS = [0, 0x628, 0x643, LAM]

const isQuote = (cp: number) => cp === 0x22 || cp === 0x27 || cp === 0x201c || cp === 0x201d || cp === 0xab || cp === 0xbb || cp === 0x2018 || cp === 0x2019

/** Unit index of the code point that ends at unit `end` (a surrogate pair counts as one). */
const previousCodePoint = (text: string, end: number) => {
  const unit = text.charCodeAt(end - 1)
  const pair = unit >= 0xdc00 && unit <= 0xdfff && end >= 2 && text.charCodeAt(end - 2) >= 0xd800 && text.charCodeAt(end - 2) <= 0xdbff
  return pair ? end - 2 : end - 1
}

const unitsOf = (cp: number) => (cp > 0xffff ? 2 : 1)

export const tokenize = (text: string): Array<Token> => scan(text).tokens

/** `units`, or a longer copy of it, with room for `n` more units after `at`. */
const withRoom = (units: Uint16Array, at: number, n: number): Uint16Array => {
  if (units.length - at >= n) return units
  const longer = new Uint16Array(Math.max(units.length * 2, at + n))
  longer.set(units.subarray(0, at))
  return longer
}

/**
 * Writes the normalized form of `text[first, last)` (`normalizeForMatch` less its spaces) into `units`
 * from `at`; returns where it ends, and the buffer (grown when NFKC made a word longer).
 */
const writeNorm = (text: string, first: number, last: number, buffer: Uint16Array, at: number): { readonly units: Uint16Array; readonly end: number } => {
  let units = withRoom(buffer, at, last - first)
  let end = at
  for (let k = first; k < last; k++) {
    const unit = text.charCodeAt(k)
    if (isNfkcSensitive(unit)) {
      const norm = normalizeForMatch(text.slice(first, last))
      units = withRoom(units, at, norm.length)
      end = at
      for (let j = 0; j < norm.length; j++) if (norm.charCodeAt(j) !== 32) units[end++] = norm.charCodeAt(j)
      return { units, end }
    }
    const mapped = matchUnit(unit)
    if (mapped !== -1 && mapped !== 32) units[end++] = mapped
  }
  return { units, end }
}

/** The tokens of a text, and how many code points it has. */
const scan = (text: string): { readonly tokens: Array<Token>; readonly codePoints: number } => {
  const tokens: Array<Token> = []
  const n = text.length
  let units: Uint16Array = new Uint16Array(n)
  let used = 0
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
      if (tokens.length > 0) tokens[tokens.length - 1].closed = true
      continue
    }
    let last = i
    let lastCp = cp
    while (last > first && !isWordPart(text.codePointAt(previousCodePoint(text, last))!)) {
      last = previousCodePoint(text, last)
      lastCp--
    }
    const norm = writeNorm(text, first, last, units, used)
    units = norm.units
    tokens.push(
      new Token(
        text,
        first,
        last,
        firstCp,
        lastCp,
        units,
        used,
        norm.end,
        last < i,
        first > tokenStart,
        first > tokenStart && isQuote(text.codePointAt(previousCodePoint(text, first))!),
        last < i && isQuote(text.codePointAt(last)!)
      )
    )
    used = norm.end
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
  if (!tokens[i].mayStart || !tokens[i].mayRead(lexicon.firstTokens)) return null
  for (const reading of tokens[i].readings) {
    if (!lexicon.firstTokens.has(reading.word)) continue
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
export interface PatternTagger {
  (tokens: ReadonlyArray<Token>, taken: ReadonlyArray<boolean>, slice: (start: number, end: number) => string): Array<Tag>
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

/** Mentions of one sentence: lexicon names left to right, longest first, then pattern names in the gaps. */
export const tagSentence = (text: string, lexicon: Lexicon, patterns?: PatternTagger): Array<Tag> => {
  const { tokens, codePoints } = scan(text)
  const starts = patterns === undefined ? lexicon.firstTokens : startSketch(lexicon, patterns)
  for (const token of tokens) token.mayStart = token.mayRead(starts)
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
