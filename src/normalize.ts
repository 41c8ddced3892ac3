/**
 * Normalization in two layers.
 * - `cleanText`: the faithful, clean `text` users read, with a map from every cleaned code point
 *   back to the raw code point it came from (behind `raw_start`/`raw_end`).
 * - `normalizeForMatch`: `text_norm` for matching, dedup and tagging, after CAMeL Tools'
 *   conventions (dediac, alef/ya/ta-marbuta folding) plus digits to ASCII and punctuation dropped.
 */
import boilerplateData from "../lexicons/boilerplate.json" with { type: "json" }

/** Cleaned text as code points, each with the index of the raw code point it came from. */
export interface Mapped {
  readonly chars: ReadonlyArray<string>
  readonly src: ReadonlyArray<number>
}

export interface Cleaned {
  readonly text: string
  /** `src[i]` is the raw code-point index of cleaned code point `i`. */
  readonly src: ReadonlyArray<number>
  /** Author found in a byline line that was removed, if any. */
  readonly author: string | null
  /** Boilerplate lines removed, by kind. */
  readonly boilerplate: ReadonlyArray<string>
}

export interface BoilerplateRule {
  readonly kind: string
  readonly pattern: RegExp
}

export const boilerplateRules: ReadonlyArray<BoilerplateRule> = boilerplateData.lines.map((line) => ({
  kind: line.kind,
  pattern: new RegExp(line.pattern, "u")
}))

const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/u
const HORIZONTAL_SPACE = /[\t\v\f \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/u
const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/u
const ARABIC_PRESENTATION = /[\uFB50-\uFDFF\uFE70-\uFEFF]/u
const ARABIC_LETTER = /[\u0621-\u063A\u0641-\u064A\u066E-\u06D3\u06D5\u06FA-\u06FC\u06FF]/u
const ARABIC_MARK = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]/u
const WORD_CHAR = /[\p{L}\p{N}]/u
const TATWEEL = "\u0640"
const SENTENCE_MARK = /[.!?؟…]/u
const CLOSER = /["”»)\]’']/u

const mapped = (raw: string): Mapped => {
  const chars = [...raw]
  return { chars, src: chars.map((_, i) => i) }
}

/** Rebuilds a Mapped text by letting `step` emit zero or more output chars for each input char. */
const rewrite = (
  text: Mapped,
  step: (i: number, chars: ReadonlyArray<string>, emit: (c: string) => void) => void
): Mapped => {
  const chars: Array<string> = []
  const src: Array<number> = []
  for (let i = 0; i < text.chars.length; i++) {
    step(i, text.chars, (c) => {
      chars.push(c)
      src.push(text.src[i])
    })
  }
  return { chars, src }
}

const foldCharacters = (text: Mapped): Mapped =>
  rewrite(text, (i, chars, emit) => {
    const c = chars[i]
    if (INVISIBLE.test(c)) return
    if (/^[\uD800-\uDFFF]$/u.test(c)) return emit("\uFFFD") // a lone surrogate cannot be written as UTF-8
    if (c === "\r") {
      if (chars[i + 1] !== "\n") emit("\n")
      return
    }
    if (LINE_BREAK.test(c)) return emit("\n")
    if (HORIZONTAL_SPACE.test(c)) return emit(" ")
    if (c === "\uFDFD") return [..."بسم الله الرحمن الرحيم"].forEach(emit)
    if (ARABIC_PRESENTATION.test(c)) {
      // Spacing forms of harakat (FE70–FE7F) decompose to a space plus the mark: keep the mark only.
      return [...c.normalize("NFKC").replace(/^ (?=\p{M})/u, "")].forEach(emit)
    }
    emit(c)
  })

const isJoinable = (c: string | undefined) => c !== undefined && (ARABIC_LETTER.test(c) || ARABIC_MARK.test(c))

/** Tatweel inside a word is dropped; a free-standing run of tatweel (used as a dash) becomes one `-`. */
const removeTatweel = (text: Mapped): Mapped =>
  rewrite(text, (i, chars, emit) => {
    if (chars[i] !== TATWEEL) return emit(chars[i])
    let before = i - 1
    while (before >= 0 && chars[before] === TATWEEL) before--
    let after = i + 1
    while (after < chars.length && chars[after] === TATWEEL) after++
    if (isJoinable(chars[before]) && isJoinable(chars[after])) return
    if (before === i - 1) emit("-")
  })

/** `#word` loses its `#` (a run of them), the word stays. */
const removeHashtagMarks = (text: Mapped): Mapped =>
  rewrite(text, (i, chars, emit) => {
    if (chars[i] !== "#") return emit(chars[i])
    let after = i
    while (chars[after] === "#") after++
    let before = i
    while (chars[before - 1] === "#") before--
    const opensWord = after < chars.length && WORD_CHAR.test(chars[after])
    const standsFree = before === 0 || !WORD_CHAR.test(chars[before - 1])
    if (!(opensWord && standsFree)) emit("#")
  })

/**
 * Scrapers that join paragraphs with `., ` (or `, ` after a closing quote in the same page) leave
 * marks that belong to no sentence: the join becomes the paragraph break it stood for.
 */
const repairScraperJoins = (text: Mapped): Mapped => {
  const joined = text.chars.join("")
  const dotCommaJoins = (joined.match(/[^.]\.,(?= )/gu) ?? []).length
  return rewrite(text, (i, chars, emit) => {
    const c = chars[i]
    const dotComma = c === "." && chars[i + 1] === "," && chars[i + 2] === " " && chars[i - 1] !== "."
    if (dotComma) return emit("\n")
    if (c === "," && chars[i + 1] === " ") {
      if (chars[i - 1] === "." && chars[i - 2] !== ".") return
      if (dotCommaJoins >= 2 && CLOSER.test(chars[i - 1] ?? "") && SENTENCE_MARK.test(chars[i - 2] ?? "") === false) {
        return emit("\n")
      }
    }
    emit(c)
  })
}

/** One space between words, none at line ends, at most one blank line between paragraphs. */
const unifyWhitespace = (text: Mapped): Mapped => {
  const chars: Array<string> = []
  const src: Array<number> = []
  const n = text.chars.length
  let i = 0
  while (i < n) {
    if (text.chars[i] !== " " && text.chars[i] !== "\n") {
      chars.push(text.chars[i])
      src.push(text.src[i])
      i++
      continue
    }
    const breaks: Array<number> = []
    let end = i
    for (; end < n && (text.chars[end] === " " || text.chars[end] === "\n"); end++) {
      if (text.chars[end] === "\n") breaks.push(end)
    }
    if (chars.length > 0 && end < n) {
      const kept = breaks.length === 0 ? [i] : breaks.slice(0, 2)
      for (const k of kept) {
        chars.push(breaks.length === 0 ? " " : "\n")
        src.push(text.src[k])
      }
    }
    i = end
  }
  return { chars, src }
}

interface BoilerplateResult {
  readonly text: Mapped
  readonly author: string | null
  readonly kinds: ReadonlyArray<string>
}

/** Drops whole lines that are page furniture (data file `lexicons/boilerplate.json`). */
export const removeBoilerplate = (text: Mapped, rules: ReadonlyArray<BoilerplateRule> = boilerplateRules): BoilerplateResult => {
  const chars: Array<string> = []
  const src: Array<number> = []
  const kinds: Array<string> = []
  let author: string | null = null
  let lineStart = 0
  for (let i = 0; i <= text.chars.length; i++) {
    if (i < text.chars.length && text.chars[i] !== "\n") continue
    const line = text.chars.slice(lineStart, i).join("").trim()
    const match = rules.map((rule) => ({ rule, m: rule.pattern.exec(line) })).find((r) => r.m !== null)
    if (match !== undefined) {
      kinds.push(match.rule.kind)
      author ??= match.m?.groups?.author?.trim() ?? null
    } else {
      const end = Math.min(i + 1, text.chars.length)
      for (let k = lineStart; k < end; k++) {
        chars.push(text.chars[k])
        src.push(text.src[k])
      }
    }
    lineStart = i + 1
  }
  return { text: { chars, src }, author, kinds }
}

/** The `text` layer: faithful but clean, with its map back to the raw code points. Titles keep every line. */
export const cleanText = (raw: string, options: { readonly boilerplate: boolean } = { boilerplate: true }): Cleaned => {
  const folded = unifyWhitespace(repairScraperJoins(removeHashtagMarks(removeTatweel(foldCharacters(mapped(raw))))))
  const { author, kinds, text } = options.boilerplate ? removeBoilerplate(folded) : { author: null, kinds: [], text: folded }
  const final = unifyWhitespace(text)
  return { text: final.chars.join(""), src: final.src, author, boilerplate: kinds }
}

const DIACRITICS = /[\u064B-\u0652\u0670\u0640]/gu
const PUNCTUATION_OR_SYMBOL = /[\p{P}\p{S}]/gu

/** The `text_norm` layer, for matching: not for reading. */
export const normalizeForMatch = (text: string): string =>
  text
    .normalize("NFKC")
    .replace(DIACRITICS, "")
    .replace(/[أإآٱ]/gu, "ا")
    .replace(/ى/gu, "ي")
    .replace(/ة/gu, "ه")
    .replace(/[٠-٩]/gu, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[۰-۹]/gu, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(PUNCTUATION_OR_SYMBOL, " ")
    .toLowerCase()
    .replace(/\s+/gu, " ")
    .trim()

/** Maps a cleaned span `[start, end)` to raw code-point offsets. */
export const rawSpan = (src: ReadonlyArray<number>, start: number, end: number, rawBase = 0): readonly [number, number] => [
  rawBase + src[start],
  rawBase + src[end - 1] + 1
]

export const countWords = (text: string): number => (text.match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu) ?? []).length

export const arabicShare = (text: string): number => {
  const letters = text.match(/\p{L}/gu) ?? []
  if (letters.length === 0) return 0
  return letters.filter((l) => ARABIC_LETTER.test(l)).length / letters.length
}
