/**
 * Sentence segmentation by ANNOTATION.md: a sentence ends after `.` `!` `?` `؟` `…` (or a run of
 * them, with closing quotes and brackets) followed by whitespace, the end, or a glued Arabic word;
 * never inside numbers, abbreviations, initials or URLs. A line break always ends a sentence.
 * Stray punctuation between sentences belongs to none.
 */
import abbreviationData from "../lexicons/abbreviations.json" with { type: "json" }
import { fromCodePoints, isWhitespace, isWordChar } from "./chars.js"

/** `[start, end)` in code points. */
export type Span = readonly [number, number]

/** Membership of a few BMP characters, as a table: every character of a text is tested. */
const codeSet = (chars: string) => {
  const table = new Uint8Array(0x10000)
  for (const c of chars) table[c.codePointAt(0)!] = 1
  return { has: (cp: number) => cp < 0x10000 && table[cp] === 1 }
}
const TERMINATORS = codeSet(".!?؟…")
const CLOSERS = codeSet("\"”»)]’'›}")
const OPENERS = codeSet("\"“«([\'‘‹{")
const PERIOD = 0x2e
const NEWLINE = 0x0a
const isArabicLetter = (cp: number) => (cp >= 0x621 && cp <= 0x64a) || (cp >= 0x66e && cp <= 0x6d3) || (cp >= 0x6fa && cp <= 0x6ff)

const bare = (token: string) => token.replace(/[\u064B-\u0652\u0670]/gu, "").replace(/\.$/u, "")

const abbreviations = new Set(abbreviationData.abbreviations.map(bare))

/** The whitespace token that ends just before `position`, without leading quotes or brackets. */
const tokenBefore = (codes: Int32Array, position: number): string => {
  let start = position
  while (start > 0 && !isWhitespace(codes[start - 1])) start--
  while (start < position && !isWordChar(codes[start])) start++
  return fromCodePoints(codes.subarray(start, position))
}

export const isAbbreviation = (token: string): boolean => {
  const word = bare(token)
  if (word.length === 0) return false
  if (abbreviations.has(word)) return true
  // Initials: single letters joined by periods (`أ.ف.ب`, `U.S`), or one letter alone (`د`).
  return word.split(".").every((part) => [...part].length === 1 && /\p{L}/u.test(part))
}

const isUrl = (token: string) => /^(?:https?:\/\/|www\.)/iu.test(token) || /^[\w-]+(?:\.[\w-]+)+\/\S*$/u.test(token)

const endsSentence = (codes: Int32Array, markStart: number, markEnd: number, after: number): boolean => {
  const singlePeriod = markEnd === markStart + 1 && codes[markStart] === PERIOD
  if (after >= codes.length || isWhitespace(codes[after])) return !(singlePeriod && isAbbreviation(tokenBefore(codes, markStart)))
  // A word glued on by a missing space (`داعش.ولم`) starts a new sentence; initials (`أ.ف.ب`) do not.
  if (isArabicLetter(codes[after]) && markStart > 0 && isArabicLetter(codes[markStart - 1])) {
    if (!singlePeriod) return true
    const token = tokenBefore(codes, markStart)
    return !([...token].length === 1 || token.includes(".") || isUrl(token))
  }
  return false
}

let buffer = new Int32Array(1024)

/** The text's code points, in a buffer reused from call to call. */
const codePoints = (text: string): Int32Array => {
  if (buffer.length < text.length) buffer = new Int32Array(text.length * 2)
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!
    if (cp > 0xffff) i++
    buffer[n++] = cp
  }
  return buffer.subarray(0, n)
}

export const segment = (text: string): Array<Span> => {
  const codes = codePoints(text)
  const spans: Array<Span> = []
  let start = -1
  const finish = (end: number) => {
    if (start < 0) return
    let last = end
    while (last > start && isWhitespace(codes[last - 1])) last--
    for (let k = start; k < last; k++) {
      if (isWordChar(codes[k])) {
        spans.push([start, last])
        break
      }
    }
    start = -1
  }
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]
    if (start < 0) {
      if (!(isWordChar(c) || OPENERS.has(c))) continue
      start = i
    }
    if (c === NEWLINE) {
      finish(i)
      continue
    }
    if (!TERMINATORS.has(c)) continue
    let markEnd = i
    while (markEnd < codes.length && TERMINATORS.has(codes[markEnd])) markEnd++
    let after = markEnd
    while (after < codes.length && CLOSERS.has(codes[after])) after++
    if (endsSentence(codes, i, markEnd, after)) {
      finish(after)
      i = after - 1
    } else {
      i = markEnd - 1
    }
  }
  finish(codes.length)
  return spans
}
