/**
 * Normalization in two layers.
 * - `cleanText`: the faithful, clean `text` users read, with a map from every cleaned code point
 *   back to the raw code point it came from (behind `raw_start`/`raw_end`).
 * - `normalizeForMatch`: `text_norm` for matching, dedup and tagging, after CAMeL Tools'
 *   conventions (dediac, alef/ya/ta-marbuta folding) plus digits to ASCII and punctuation dropped.
 */
import boilerplateData from "../lexicons/boilerplate.json" with { type: "json" }
import { decodeHTML } from "entities"
import { fromCodePoints, fromUnits, isLetter, isWordChar, isWordPart } from "./chars.js"

/** An offset map (`src`) as annotation reads it: an Int32Array, or a lookup into one kept as runs. */
export interface OffsetMap {
  readonly at: (index: number) => number | undefined
}

export interface Cleaned {
  readonly text: string
  /** `src[i]` is the raw code-point index of cleaned code point `i`. */
  readonly src: Int32Array
  /** Author found in a byline line that was removed, if any. */
  readonly author: string | null
  /** Boilerplate lines removed, by kind. */
  readonly boilerplate: ReadonlyArray<string>
}

export interface BoilerplateRule {
  readonly kind: string
  readonly pattern: RegExp
  /** The literal text the pattern starts with, to skip text that cannot match. */
  readonly literal: string
}

/** The characters a pattern must start with: up to its first operator, less a character made optional. */
const literalStart = (pattern: string) => {
  const literal = [.../^[^\\^$.*+?()[\]{}|]*/u.exec(pattern)![0]]
  return (/^[?*{]/u.test(pattern.slice(literal.join("").length)) ? literal.slice(0, -1) : literal).join("")
}

const compile = (rules: ReadonlyArray<{ readonly kind: string; readonly pattern: string }>): ReadonlyArray<BoilerplateRule> =>
  rules.map((rule) => ({
    kind: rule.kind,
    pattern: new RegExp(rule.pattern, "u"),
    literal: literalStart(rule.pattern)
  }))

export const boilerplateRules = compile(boilerplateData.lines)
/** Furniture a scraper glued to the end of the last paragraph (`… راكبة. رابط الخبر بصحيفة الوئام: …`). */
export const boilerplateTailRules = compile(boilerplateData.tails)

/** Text as code points, each with the index of the raw code point it came from. */
interface Mapped {
  readonly codes: Int32Array
  readonly src: Int32Array
  readonly length: number
  /** Which passes have something to act on in the text (PRESENCE bits), once known; UNKNOWN before. */
  present: number
}

const UNKNOWN = -1

/**
 * Collects the output of a pass: code points and where each came from. The passes of one cleaning
 * run take turns on a few buffers kept between runs, so cleaning allocates almost nothing.
 */
const POOL: Array<{ codes: Int32Array; src: Int32Array }> = [0, 1, 2].map(() => ({ codes: new Int32Array(1024), src: new Int32Array(1024) }))
let nextSlot = 0

class MappedBuilder {
  private readonly slot = POOL[nextSlot++ % POOL.length]
  length = 0
  constructor(capacity: number) {
    if (this.slot.codes.length < capacity) this.grow(capacity)
  }
  private grow(capacity: number) {
    const codes = new Int32Array(Math.max(capacity, this.slot.codes.length * 2))
    const src = new Int32Array(codes.length)
    codes.set(this.slot.codes.subarray(0, this.length))
    src.set(this.slot.src.subarray(0, this.length))
    this.slot.codes = codes
    this.slot.src = src
  }
  push(code: number, from: number) {
    if (this.length === this.slot.codes.length) this.grow(this.length * 2)
    this.slot.codes[this.length] = code
    this.slot.src[this.length++] = from
  }
  /** Copies `text[from, to)` as it is (short runs one by one: a subarray costs more than it saves). */
  pushRange(text: Mapped, from: number, to: number) {
    if (this.length + to - from > this.slot.codes.length) this.grow(this.length + to - from)
    if (to - from < 64) {
      for (let i = from; i < to; i++) {
        this.slot.codes[this.length] = text.codes[i]
        this.slot.src[this.length++] = text.src[i]
      }
      return
    }
    this.slot.codes.set(text.codes.subarray(from, to), this.length)
    this.slot.src.set(text.src.subarray(from, to), this.length)
    this.length += to - from
  }
  /** Appends the code points of `raw`, the i-th from index i; returns their PRESENCE bits (one scan, not one per pass). */
  pushText(raw: string): number {
    if (this.length + raw.length > this.slot.codes.length) this.grow(this.length + raw.length)
    const { codes, src } = this.slot
    const base = this.length
    let n = base
    let present = 0
    for (let i = 0; i < raw.length; i++) {
      const cp = raw.codePointAt(i)!
      if (cp > 0xffff) i++
      present |= cp > 0xffff ? ASTRAL_PRESENCE : PRESENCE[cp]
      codes[n] = cp
      src[n] = n - base
      n++
    }
    this.length = n
    return present
  }
  done(present = UNKNOWN): Mapped {
    return { codes: this.slot.codes, src: this.slot.src, length: this.length, present }
  }
}

const SPACE = 0x20
const NEWLINE = 0x0a
const HASH = 0x23
const TATWEEL = 0x0640

/** Character classes of the BMP, decided once: a table lookup per character in the passes. */
const KEEP = 0
const INVISIBLE = 1
const HORIZONTAL_SPACE = 2
const LINE_BREAK = 3
const PRESENTATION_FORM = 4
const CLASS = (() => {
  const table = new Uint8Array(0x10000)
  const mark = (ranges: ReadonlyArray<readonly [number, number]>, value: number) => {
    for (const [a, b] of ranges) table.fill(value, a, b + 1)
  }
  mark([[0xfb50, 0xfdff], [0xfe70, 0xfefe]], PRESENTATION_FORM)
  mark([[0xad, 0xad], [0x61c, 0x61c], [0x180e, 0x180e], [0x200b, 0x200f], [0x202a, 0x202e], [0x2060, 0x2064], [0x2066, 0x206f], [0xfeff, 0xfeff]], INVISIBLE)
  mark([[0x09, 0x09], [0x0b, 0x0c], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000]], HORIZONTAL_SPACE)
  // The other C0 and C1 controls and DEL are no text (SaudiNewsNet has `\x1a\x1a` where paragraphs met):
  // a space, which joins no two words.
  mark([[0x00, 0x08], [0x0e, 0x1f], [0x7f, 0x84], [0x86, 0x9f]], HORIZONTAL_SPACE)
  mark([[0x0a, 0x0a], [0x85, 0x85], [0x2028, 0x2029]], LINE_BREAK)
  return table
})()
const charClass = (cp: number) => (cp < 0x10000 ? CLASS[cp] : KEEP)

const JOINABLE = (() => {
  const table = new Uint8Array(0x700)
  for (const [a, b] of [[0x610, 0x61a], [0x621, 0x63a], [0x641, 0x65f], [0x66e, 0x6d3], [0x6d5, 0x6ed], [0x6fa, 0x6fc], [0x6ff, 0x6ff]]) table.fill(1, a, b + 1)
  return table
})()
/** An Arabic letter or mark: tatweel between two of them is inside a word. */
const isJoinable = (cp: number | undefined) => cp !== undefined && cp < 0x700 && JOINABLE[cp] === 1
const isSentenceMark = (cp: number) => cp === 0x2e || cp === 0x21 || cp === 0x3f || cp === 0x61f || cp === 0x2026
const isCloser = (cp: number) => cp === 0x22 || cp === 0x201d || cp === 0xbb || cp === 0x29 || cp === 0x5d || cp === 0x2019 || cp === 0x27

const BASMALA = [..."بسم الله الرحمن الرحيم"].map((c) => c.codePointAt(0)!)

/** A page saved as text: an HTML document or a fragment made mostly of tags. */
export const looksLikeHtml = (raw: string): boolean => {
  if (!raw.includes("<")) return false
  const head = raw.slice(0, 2000).trimStart().toLowerCase()
  if (head.startsWith("<!doctype html") || head.startsWith("<html")) return true
  const tags = (raw.match(/<\/?(?:p|div|br|span|a|script|style|body|head|article|h[1-6]|li|ul|table|tr|td|meta|link|img)\b[^>]*>/giu) ?? []).length
  return tags >= 5
}

const BLOCK_TAG = /^<\/?(?:p|div|br|h[1-6]|li|ul|ol|tr|table|article|section|header|footer|blockquote|title|body|main|nav|aside|figure|figcaption|hr)\b/iu
const MARKUP = /<!--[\s\S]*?-->|<(script|style|noscript|template|svg|head)\b[\s\S]*?<\/\1\s*>|<\/?[a-zA-Z][^>]*>|<!doctype[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+\d*);/giu

/**
 * Markup out, text kept: scripts, styles and comments are dropped, tags removed (a block tag leaves a
 * line break), entities decoded; every kept character keeps its raw index.
 */
const stripMarkup = (raw: string): Mapped => {
  const out = new MappedBuilder(raw.length)
  const indexOf = new Int32Array(raw.length + 1) // UTF-16 unit → code-point index
  for (let i = 0, cp = 0; i <= raw.length; i++) {
    indexOf[i] = cp
    if (i < raw.length && !(raw.charCodeAt(i) >= 0xdc00 && raw.charCodeAt(i) <= 0xdfff && i > 0 && raw.charCodeAt(i - 1) >= 0xd800 && raw.charCodeAt(i - 1) <= 0xdbff)) cp++
  }
  const pushText = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cp = raw.codePointAt(i)!
      if (cp > 0xffff) i++
      out.push(cp, indexOf[i - (cp > 0xffff ? 1 : 0)])
    }
  }
  let last = 0
  for (const m of raw.matchAll(MARKUP)) {
    pushText(last, m.index)
    const at = indexOf[m.index]
    if (m[0].startsWith("&")) for (const c of decodeHTML(m[0])) out.push(c.codePointAt(0)!, at)
    else if (BLOCK_TAG.test(m[0])) out.push(NEWLINE, at)
    else if (m[0].startsWith("<") && !m[0].startsWith("<!--")) out.push(SPACE, at)
    last = m.index + m[0].length
  }
  pushText(last, raw.length)
  return out.done()
}

const toMapped = (raw: string): Mapped => {
  const out = new MappedBuilder(raw.length)
  return out.done(out.pushText(raw))
}

const toText = (text: Mapped): string => fromCodePoints(text.codes.subarray(0, text.length))

/**
 * The code points a pass acts on, as a table over the BMP (the passes treat all astral code points
 * alike), and the pass's bit in PRESENCE.
 */
interface ActsOn {
  readonly bmp: Uint8Array
  readonly astral: boolean
  readonly bit: number
}

const actsOn = (bit: number, test: (cp: number) => boolean): ActsOn => {
  const bmp = new Uint8Array(0x10000)
  for (let cp = 0; cp < 0x10000; cp++) bmp[cp] = test(cp) ? 1 : 0
  return { bmp, astral: test(0x10000), bit }
}

const isActedOn = (acts: ActsOn, cp: number) => (cp < 0x10000 ? acts.bmp[cp] === 1 : acts.astral)

/** The PRESENCE bits of a text's code points, found once and kept with it. */
const presenceIn = (text: Mapped): number => {
  if (text.present !== UNKNOWN) return text.present
  let present = 0
  for (let i = 0; i < text.length; i++) present |= text.codes[i] > 0xffff ? ASTRAL_PRESENCE : PRESENCE[text.codes[i]]
  text.present = present
  return present
}

/**
 * One pass over a text: `step` sees each position the pass acts on and emits zero or more code
 * points for it; other code points are kept as they are. A text with nothing the pass acts on is
 * returned as it is. (A table, not a predicate: four passes calling four predicates made each
 * call generic, once a character.)
 */
const rewrite = (text: Mapped, acts: ActsOn, step: (i: number, codes: Int32Array, emit: (code: number) => void) => void): Mapped => {
  if ((presenceIn(text) & acts.bit) === 0) return text
  let first = 0
  while (first < text.length && !isActedOn(acts, text.codes[first])) first++
  if (first === text.length) return text
  const out = new MappedBuilder(text.length)
  out.pushRange(text, 0, first)
  let from = 0
  const emit = (code: number) => out.push(code, from)
  for (let i = first; i < text.length; i++) {
    if (!isActedOn(acts, text.codes[i])) {
      // A run the pass leaves as it is, copied whole (every `step` emits such a code point unchanged).
      let end = i + 1
      while (end < text.length && !isActedOn(acts, text.codes[end])) end++
      out.pushRange(text, i, end)
      i = end - 1
      continue
    }
    from = text.src[i]
    step(i, text.codes, emit)
  }
  return out.done()
}

/** A code point folding leaves as it is. */
const isPlain = (cp: number) => cp === NEWLINE || cp === SPACE || (cp > 0x0d && cp < 0x10000 && (cp < 0xd800 || cp > 0xdfff) && charClass(cp) === KEEP)

const FOLDED = actsOn(1, (cp) => !isPlain(cp))
const TATWEELS = actsOn(2, (cp) => cp === TATWEEL)
const HASHES = actsOn(4, (cp) => cp === HASH)
const COMMAS_AND_DOTS = actsOn(8, (cp) => cp === 0x2c || cp === 0x2e)
const COMMAS = actsOn(16, (cp) => cp === 0x2c)

const PASSES = [FOLDED, TATWEELS, HASHES, COMMAS_AND_DOTS, COMMAS]
/** For each BMP code point, the bits of the passes that act on it. */
const PRESENCE = (() => {
  const table = new Uint8Array(0x10000)
  for (const acts of PASSES) for (let cp = 0; cp < 0x10000; cp++) if (acts.bmp[cp] === 1) table[cp] |= acts.bit
  return table
})()
const ASTRAL_PRESENCE = PASSES.reduce((bits, acts) => bits | (acts.astral ? acts.bit : 0), 0)

const foldCharacters = (text: Mapped): Mapped =>
  rewrite(text, FOLDED, (i, codes, emit) => {
    const cp = codes[i]
    const kind = charClass(cp)
    if (kind === KEEP && cp > 0x0d && (cp < 0xd800 || cp > 0xdfff)) return emit(cp)
    if (kind === INVISIBLE) return
    if (cp >= 0xd800 && cp <= 0xdfff) return emit(0xfffd) // a lone surrogate cannot be written as UTF-8
    if (cp === 0x0d) {
      if (codes[i + 1] !== NEWLINE || i + 1 >= text.length) emit(NEWLINE)
      return
    }
    if (kind === LINE_BREAK) return emit(NEWLINE)
    if (kind === HORIZONTAL_SPACE) return emit(SPACE)
    if (cp === 0xfdfd) return BASMALA.forEach(emit)
    if (kind === PRESENTATION_FORM) {
      // Spacing forms of harakat (FE70–FE7F) decompose to a space plus the mark: keep the mark only.
      for (const c of String.fromCodePoint(cp).normalize("NFKC").replace(/^ (?=\p{M})/u, "")) emit(c.codePointAt(0)!)
      return
    }
    emit(cp)
  })

/**
 * Tatweel after a letter only stretches it (`الـعراق`, `بـ«الشرق`): it is dropped. A run of tatweel
 * standing free, after a space or punctuation (used as a dash), becomes one `-`.
 */
const removeTatweel = (text: Mapped): Mapped =>
  rewrite(text, TATWEELS, (i, codes, emit) => {
    if (codes[i] !== TATWEEL) return emit(codes[i])
    let before = i - 1
    while (before >= 0 && codes[before] === TATWEEL) before--
    if (isJoinable(before >= 0 ? codes[before] : undefined)) return
    if (before === i - 1) emit(0x2d)
  })

/** `#word` loses its `#` (a run of them), the word stays. */
const removeHashtagMarks = (text: Mapped): Mapped =>
  rewrite(text, HASHES, (i, codes, emit) => {
    if (codes[i] !== HASH) return emit(codes[i])
    let after = i
    while (after < text.length && codes[after] === HASH) after++
    let before = i
    while (before > 0 && codes[before - 1] === HASH) before--
    const opensWord = after < text.length && isWordChar(codes[after])
    const standsFree = before === 0 || !isWordChar(codes[before - 1])
    if (!(opensWord && standsFree)) emit(HASH)
  })

/**
 * Scrapers that join paragraphs with `., ` (or `, ` after a closing quote in the same page) leave
 * marks that belong to no sentence: the join becomes the paragraph break it stood for.
 */
const repairScraperJoins = (text: Mapped): Mapped => {
  const at = (i: number) => (i >= 0 && i < text.length ? text.codes[i] : -1)
  const isDotCommaJoin = (i: number) => at(i) === 0x2e && at(i + 1) === 0x2c && at(i + 2) === SPACE && at(i - 1) !== 0x2e
  // Every rule acts on a comma: a text without one is left as it is, uncounted.
  if ((presenceIn(text) & COMMAS.bit) === 0) return text
  let dotCommaJoins = 0
  for (let i = 0; i < text.length; i++) if (isDotCommaJoin(i) && i > 0) dotCommaJoins++
  // Both marks of a join are acted on: the pass starts at the first of either.
  return rewrite(text, COMMAS_AND_DOTS, (i, codes, emit) => {
    if (isDotCommaJoin(i)) return emit(NEWLINE)
    if (codes[i] === 0x2c && at(i + 1) === SPACE) {
      if (at(i - 1) === 0x2e && at(i - 2) !== 0x2e) return
      if (dotCommaJoins >= 2 && isCloser(at(i - 1)) && !isSentenceMark(at(i - 2))) return emit(NEWLINE)
    }
    emit(codes[i])
  })
}

/**
 * One space between words, none at line ends, at most one blank line between paragraphs. Whitespace
 * already so is kept in place, and text between changes copied in runs: most of a text needs nothing.
 */
const unifyWhitespace = (text: Mapped): Mapped => {
  const { codes, src, length } = text
  let out: MappedBuilder | null = null
  let keptFrom = 0 // text[keptFrom, i) is output as it is, not copied yet
  for (let i = 0; i < length; ) {
    if (codes[i] !== SPACE && codes[i] !== NEWLINE) {
      i++
      continue
    }
    const start = i
    let firstBreak = -1
    let secondBreak = -1
    for (; i < length && (codes[i] === SPACE || codes[i] === NEWLINE); i++) {
      if (codes[i] !== NEWLINE) continue
      if (firstBreak < 0) firstBreak = i
      else if (secondBreak < 0) secondBreak = i
    }
    const between = start > 0 && i < length // not at the text's start or end, where whitespace goes
    if (between && (i - start === 1 || (firstBreak === start && secondBreak === start + 1 && i - start === 2))) continue
    out ??= new MappedBuilder(length)
    out.pushRange(text, keptFrom, start)
    if (between && firstBreak < 0) out.push(SPACE, src[start])
    else if (between) {
      out.push(NEWLINE, src[firstBreak])
      if (secondBreak >= 0) out.push(NEWLINE, src[secondBreak])
    }
    keptFrom = i
  }
  if (out === null) return text
  out.pushRange(text, keptFrom, length)
  return out.done()
}

/** Boilerplate lines are short: longer lines are not tried against the patterns. */
const BOILERPLATE_MAX_LINE = 200

interface BoilerplateResult {
  readonly text: Mapped
  readonly author: string | null
  readonly kinds: ReadonlyArray<string>
}

/** Drops whole lines that are page furniture (data file `lexicons/boilerplate.json`). */
/** How much of a line's end is tried against the tail patterns. */
const BOILERPLATE_MAX_TAIL = 300

const firstMatch = (rules: ReadonlyArray<BoilerplateRule>, text: string, accept: (m: RegExpExecArray) => boolean) => {
  for (const rule of rules) {
    const m = rule.pattern.exec(text)
    if (m !== null && accept(m)) return { rule, m }
  }
  return undefined
}

/** `text` is `mapped` as a string. */
const removeBoilerplate = (mapped: Mapped, text: string, rules: ReadonlyArray<BoilerplateRule>, tailRules: ReadonlyArray<BoilerplateRule>): BoilerplateResult => {
  // Lines are cut from the string; by code-point offsets, which are its unit offsets unless it has astral characters.
  const slice = text.length === mapped.length ? (from: number, to: number) => text.slice(from, to) : (from: number, to: number) => fromCodePoints(mapped.codes.subarray(from, to))
  // Kept text is copied only once something is removed: most texts have no boilerplate.
  let out: MappedBuilder | null = null
  let keptFrom = 0 // mapped[keptFrom, lineStart) is kept and not yet copied
  const kinds: Array<string> = []
  let author: string | null = null
  // Line breaks found in the string (a native search) where its offsets are the code points'.
  const lineEnd =
    text.length === mapped.length
      ? (from: number) => {
          const at = text.indexOf("\n", from)
          return at === -1 ? text.length : at
        }
      : (from: number) => {
          let i = from
          while (i < mapped.length && mapped.codes[i] !== NEWLINE) i++
          return i
        }
  let lineStart = 0
  while (lineStart <= mapped.length) {
    const i = lineEnd(lineStart)
    const line = i - lineStart <= BOILERPLATE_MAX_LINE ? slice(lineStart, i).trim() : ""
    const match = line === "" ? undefined : firstMatch(rules, line, () => true)
    if (match !== undefined) {
      kinds.push(match.rule.kind)
      author ??= match.m?.groups?.author?.trim() ?? null
      out ??= new MappedBuilder(mapped.length)
      out.pushRange(mapped, keptFrom, lineStart)
      keptFrom = i + 1
    } else {
      // A tail rule cuts the line from where its match begins (a word start) to the line's end.
      const tailStart = Math.max(lineStart, i - BOILERPLATE_MAX_TAIL)
      const tail = slice(tailStart, i)
      const startsWord = (at: number) => (at === 0 ? tailStart === lineStart : /\s/u.test(tail[at - 1]))
      const cut = tailRules.some((rule) => tail.includes(rule.literal)) ? firstMatch(tailRules, tail, (m) => startsWord(m.index)) : undefined
      if (cut !== undefined) {
        kinds.push(cut.rule.kind)
        out ??= new MappedBuilder(mapped.length)
        out.pushRange(mapped, keptFrom, tailStart + [...tail.slice(0, cut.m!.index)].length)
        keptFrom = i
      }
    }
    lineStart = i + 1
  }
  if (out === null) return { text: mapped, author, kinds }
  out.pushRange(mapped, keptFrom, Math.max(keptFrom, mapped.length))
  return { text: out.done(), author, kinds }
}

/** The `text` layer: faithful but clean, with its map back to the raw code points. Titles keep every line. */
export const cleanText = (raw: string, options: { readonly boilerplate?: boolean } = {}): Cleaned => {
  const html = looksLikeHtml(raw)
  const mapped = html ? stripMarkup(raw) : toMapped(raw)
  const folded = unifyWhitespace(repairScraperJoins(removeHashtagMarks(removeTatweel(foldCharacters(mapped)))))
  // A plain text no pass changed (nearly half of them) is the raw string itself.
  const foldedText = folded === mapped && !html ? raw : toText(folded)
  const { author, kinds, text } = options.boilerplate !== false ? removeBoilerplate(folded, foldedText, boilerplateRules, boilerplateTailRules) : { author: null, kinds: [], text: folded }
  // Nothing removed: the text is as folded (unifyWhitespace is idempotent).
  const final = kinds.length === 0 ? text : unifyWhitespace(text)
  return { text: kinds.length === 0 ? foldedText : toText(final), src: final.src.slice(0, final.length), author, boilerplate: kinds }
}

/**
 * What `normalizeForMatch` does with each UTF-16 code unit, decided once per unit: -1 drops it
 * (diacritics, tatweel), 32 makes it a space (whitespace, punctuation, symbols), any other value is
 * the code unit it becomes (alef forms to bare alef, alef maqsura to ya, ta marbuta to ha, digits to
 * ASCII, Latin to lower case). Astral code points are kept.
 */
const MATCH_TABLE = (() => {
  const table = new Int32Array(0x10000)
  // By code unit: an object looked up by a new one-character string each time took half the build of the table.
  const fold = new Map(Object.entries({ أ: "ا", إ: "ا", آ: "ا", ٱ: "ا", ى: "ي", ة: "ه" }).map(([from, to]) => [from.charCodeAt(0), to.charCodeAt(0)]))
  for (let unit = 0; unit < 0x10000; unit++) {
    const c = String.fromCharCode(unit)
    if (unit >= 0xd800 && unit <= 0xdfff) table[unit] = unit
    else if (/[\u064B-\u0652\u0670\u0640]/u.test(c)) table[unit] = -1
    else if (/[\s\p{P}\p{S}]/u.test(c)) table[unit] = 32
    else if (fold.has(unit)) table[unit] = fold.get(unit)!
    else if (unit >= 0x0660 && unit <= 0x0669) table[unit] = 0x30 + unit - 0x0660
    else if (unit >= 0x06f0 && unit <= 0x06f9) table[unit] = 0x30 + unit - 0x06f0
    else table[unit] = c.toLowerCase().length === 1 ? c.toLowerCase().charCodeAt(0) : unit
  }
  return table
})()

/**
 * Code units that NFKC may change, alone or with the unit before them: none of plain Arabic or ASCII.
 * A unit NFKC leaves alone stays so beside others unless it can join the unit before it (a mark, or
 * the second part of a canonical decomposition, such as a Hangul vowel): precomposed letters such as
 * أ إ آ ؤ ئ are not flagged, or NFKC would run on nine sentences in ten and on a word in six.
 */
const NFKC_SENSITIVE = (() => {
  const table = new Uint8Array(0x10000)
  for (let unit = 0x80; unit < 0x10000; unit++) {
    const c = String.fromCharCode(unit)
    if (unit >= 0xd800 && unit <= 0xdfff) table[unit] = 1
    else if (c.normalize("NFKC") !== c || /\p{M}/u.test(c)) table[unit] = 1
    const decomposed = c.normalize("NFD")
    if (decomposed.length > 1) for (const part of [...decomposed].slice(1)) if (part.length === 1) table[part.charCodeAt(0)] = 1
  }
  // Arabic marks compose with nothing under NFKC except hamza above/below and madda after alef, waw, ya, ha.
  for (let unit = 0x64b; unit <= 0x652; unit++) table[unit] = 0
  table[0x670] = 0
  return table
})()

/** What `normalizeForMatch` makes of a code unit, before spaces are collapsed: -1 dropped, 32 a separator. */
export const matchUnit = (unit: number): number => MATCH_TABLE[unit]

/** Whether NFKC may change a code unit (then `normalizeForMatch` normalizes the text first). */
export const isNfkcSensitive = (unit: number): boolean => NFKC_SENSITIVE[unit] === 1

/**
 * Mojibake: UTF-8 text that was decoded as Windows-1256 (`ط§ظ„ظ…` for `الم`) or as Latin-1/Windows-1252
 * (`Ø§Ù„Ù…`) somewhere upstream. Detected by the share of the lead-byte letters, repaired by encoding
 * back to the bytes and decoding them as UTF-8. `origin[i]` is the index in the broken text where
 * repaired code point i began; one more entry closes the last.
 */
const MOJIBAKE_LEADS: ReadonlyArray<{ readonly encoding: string; readonly leads: "leads1256" | "leads1252" }> = [
  { encoding: "windows-1256", leads: "leads1256" },
  { encoding: "windows-1252", leads: "leads1252" }
]

const byteTables = new Map<string, Map<string, number>>()

/** Text in a single-byte code page (the reverse of its decoder); null when a character is not in it. */
export const encodeSingleByte = (encoding: string, text: string): Uint8Array | null => {
  let table = byteTables.get(encoding)
  if (table === undefined) {
    const decoder = new TextDecoder(encoding)
    table = new Map()
    for (let b = 0; b < 256; b++) table.set(decoder.decode(new Uint8Array([b])), b)
    byteTables.set(encoding, table)
  }
  const chars = [...text]
  const bytes = new Uint8Array(chars.length)
  for (let i = 0; i < chars.length; i++) {
    const b = table.get(chars[i])
    if (b === undefined) return null
    bytes[i] = b
  }
  return bytes
}

export const repairMojibake = (text: string): { readonly text: string; readonly origin: Int32Array } | null => {
  const census = letterCensus(text)
  for (const { encoding, leads } of MOJIBAKE_LEADS) {
    if (census.letters < 4 || census[leads] / census.letters < 0.3) continue
    const bytes = encodeSingleByte(encoding, text)
    if (bytes === null) continue
    let repaired: string
    try {
      repaired = new TextDecoder("utf-8", { fatal: true }).decode(bytes)
    } catch {
      continue
    }
    // Each broken character is one byte: a repaired code point begins where its UTF-8 sequence does.
    const repairedChars = [...repaired]
    const origin = new Int32Array(repairedChars.length + 1)
    let byte = 0
    repairedChars.forEach((c, i) => {
      origin[i] = byte
      const cp = c.codePointAt(0)!
      byte += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
    })
    origin[repairedChars.length] = bytes.length
    return { text: repaired, origin }
  }
  return null
}

let matchBuffer = new Uint16Array(1024)

/** The `text_norm` layer, for matching: not for reading. */
export const normalizeForMatch = (text: string): string => {
  // Mapped as it is, and again after NFKC in the rare case it holds a unit NFKC may change: one pass, not two, for most texts.
  const mapped = mapForMatch(text)
  return mapped === null ? mapForMatch(text.normalize("NFKC"), true)! : mapped
}

/** What `mapForMatch` does with a code unit, in one lookup: the unit it writes (low 16 bits) and flags. */
const MATCH_SEPARATOR = 1 << 16 // written as a space, one for a run of them, none at the edges
const MATCH_KEPT = 1 << 17 // not dropped
const MATCH_NFKC = 1 << 18 // NFKC may change it
const MATCH_STEPS = Int32Array.from(
  MATCH_TABLE,
  (mapped, unit) => (mapped === -1 ? 0 : (mapped & 0xffff) | MATCH_KEPT | (mapped === 32 ? MATCH_SEPARATOR : 0)) | (NFKC_SENSITIVE[unit] === 1 ? MATCH_NFKC : 0)
)

/** `text` through MATCH_TABLE; null when it holds a unit NFKC may change, unless `normalized`. */
const mapForMatch = (text: string, normalized = false): string | null => {
  if (matchBuffer.length < text.length) matchBuffer = new Uint16Array(text.length * 2)
  const out = matchBuffer
  let n = 0
  let flags = 0
  let afterSeparator = 1 // as after one: a separator at the start is left out
  for (let i = 0; i < text.length; i++) {
    // Arithmetic, no branch per unit: separators and letters alternate every few units, and the
    // mispredicted branches took a third of the time.
    const step = MATCH_STEPS[text.charCodeAt(i)]
    flags |= step
    const separator = (step >> 16) & 1
    const kept = (step >> 17) & 1
    out[n] = step // its low 16 bits
    n += kept & (1 - (separator & afterSeparator))
    afterSeparator = (separator & kept) | (afterSeparator & (1 - kept))
  }
  if (n > 0 && out[n - 1] === 32) n-- // a separator at the end
  return (flags & MATCH_NFKC) !== 0 && !normalized ? null : fromUnits(out.subarray(0, n))
}

/**
 * Maps a cleaned span `[start, end)` to raw code-point offsets, through `origin` when the raw text
 * was repaired mojibake.
 */
export const rawSpan = (src: OffsetMap, start: number, end: number, rawBase = 0, origin?: ArrayLike<number>): readonly [number, number] => {
  const first = src.at(start)!
  const last = src.at(end - 1)! + 1
  return origin === undefined ? [rawBase + first, rawBase + last] : [rawBase + origin[first], rawBase + origin[last]]
}

/** What a code unit is to `countWords`: a surrogate is looked at with its pair. */
const OTHER = 0
const MARK = 1
const WORD_START = 2
const SURROGATE = 3
const WORD_UNIT = (() => {
  const table = new Uint8Array(0x10000)
  for (let unit = 0; unit < 0x10000; unit++) {
    table[unit] = unit >= 0xd800 && unit <= 0xdfff ? SURROGATE : isWordChar(unit) ? WORD_START : isWordPart(unit) ? MARK : OTHER
  }
  return table
})()
/**
 * `countWords`' steps, by (in a word or not, kind of unit): whether the next unit is in a word, and
 * whether a word starts here. A table rather than branches: words and spaces alternate every few
 * units, and mispredicted branches took the count from 113 to 200 ms over SaudiNewsNet's sentences.
 */
const IN_WORD = 1
const STARTS = 2
const WORD_STEP = Uint8Array.from([
  /* outside a word: other, mark, word start, (surrogate) */ 0, 0, IN_WORD | STARTS, 0,
  /* in a word: */ 0, IN_WORD, IN_WORD, 0
])

/** Matches of `[\p{L}\p{N}][\p{L}\p{N}\p{M}]*`, counted by walking the code points (no array of matches). */
export const countWords = (text: string): number => {
  let words = 0
  let inWord = 0
  for (let i = 0; i < text.length; i++) {
    let kind = WORD_UNIT[text.charCodeAt(i)]
    if (kind === SURROGATE) {
      const cp = text.codePointAt(i)!
      if (cp > 0xffff) i++
      kind = cp <= 0xffff ? OTHER : isWordChar(cp) ? WORD_START : isWordPart(cp) ? MARK : OTHER
    }
    const step = WORD_STEP[(inWord << 2) | kind]
    words += step >> 1
    inWord = step & IN_WORD
  }
  return words
}

const isArabicScriptLetter = (u: number) => (u >= 0x621 && u <= 0x64a) || (u >= 0x671 && u <= 0x6d3) || (u >= 0x6fa && u <= 0x6ff)
const isArabicLetterCode = (u: number) => (u >= 0x621 && u <= 0x63a) || (u >= 0x641 && u <= 0x64a) || (u >= 0x66e && u <= 0x6d3) || u === 0x6d5 || (u >= 0x6fa && u <= 0x6fc) || u === 0x6ff
/** Persian is written in Arabic script; its own letters (پ چ ژ گ) are rare in Arabic outside a few foreign names. */
const isPersianLetter = (u: number) => u === 0x67e || u === 0x686 || u === 0x698 || u === 0x6af

/**
 * What the letter census adds for a code unit: six counts packed in 5-bit fields, so that a run of up to
 * 31 units is summed with one addition each and unpacked once (six sums per unit took twice as long).
 */
const FIELD_BITS = 5
const RUN = (1 << FIELD_BITS) - 1
const LETTER = 0
const ARABIC_LETTER = 1
const ARABIC_SCRIPT = 2 // any letter of Arabic script, Persian ones too
const PERSIAN_LETTER = 3
const LEAD_1256 = 4 // ط ظ: lead bytes of Arabic UTF-8 read as Windows-1256
const LEAD_1252 = 5 // Ø Ù: the same read as Windows-1252
const CENSUS = (() => {
  const table = new Int32Array(0x10000)
  const field = (yes: boolean, index: number) => (yes ? 1 << (index * FIELD_BITS) : 0)
  for (let u = 0; u < 0x10000; u++) {
    const letter = isLetter(u)
    table[u] =
      field(letter, LETTER) |
      field(letter && isArabicLetterCode(u), ARABIC_LETTER) |
      field(isArabicScriptLetter(u), ARABIC_SCRIPT) |
      field(isPersianLetter(u), PERSIAN_LETTER) |
      field(letter && (u === 0x637 || u === 0x638), LEAD_1256) |
      field(letter && (u === 0xd8 || u === 0xd9), LEAD_1252)
  }
  return table
})()

export interface LetterCensus {
  readonly letters: number
  readonly arabic: number
  readonly script: number
  readonly persian: number
  readonly leads1256: number
  readonly leads1252: number
}

const count = (sum: number, index: number) => (sum >>> (index * FIELD_BITS)) & RUN

/** The letters of a text counted by kind, in one pass. */
export const letterCensus = (text: string): LetterCensus => {
  let letters = 0
  let arabic = 0
  let script = 0
  let persian = 0
  let leads1256 = 0
  let leads1252 = 0
  for (let start = 0; start < text.length; start += RUN) {
    const end = Math.min(start + RUN, text.length)
    let sum = 0
    for (let i = start; i < end; i++) sum += CENSUS[text.charCodeAt(i)]
    letters += count(sum, LETTER)
    arabic += count(sum, ARABIC_LETTER)
    script += count(sum, ARABIC_SCRIPT)
    persian += count(sum, PERSIAN_LETTER)
    leads1256 += count(sum, LEAD_1256)
    leads1252 += count(sum, LEAD_1252)
  }
  return { letters, arabic, script, persian, leads1256, leads1252 }
}

/** Share of Arabic letters among all letters. */
export const arabicShare = (census: LetterCensus): number => (census.letters === 0 ? 0 : census.arabic / census.letters)

/** Share of Persian-only letters among Arabic-script letters: a text made of them is Persian. */
export const persianShare = (census: LetterCensus): number => (census.script === 0 ? 0 : census.persian / census.script)
