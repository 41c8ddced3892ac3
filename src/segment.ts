/**
 * Sentence segmentation by ANNOTATION.md: a sentence ends after `.` `!` `?` `؟` `…` (or a run of
 * them, with closing quotes and brackets) followed by whitespace, the end, or a glued Arabic word;
 * never inside numbers, abbreviations, initials or URLs. A line break always ends a sentence.
 * Stray punctuation between sentences belongs to none.
 */
import abbreviationData from "../lexicons/abbreviations.json" with { type: "json" }

/** `[start, end)` in code points. */
export type Span = readonly [number, number]

const TERMINATOR = /[.!?؟…]/u
const CLOSER = /["”»)\]’'›}]/u
const OPENER = /["“«(\['‘‹{]/u
const WORD_CHAR = /[\p{L}\p{N}]/u
const ARABIC_LETTER = /[\u0621-\u064A\u066E-\u06D3\u06FA-\u06FF]/u
const WHITESPACE = /\s/u

const bare = (token: string) => token.replace(/[\u064B-\u0652\u0670]/gu, "").replace(/\.$/u, "")

const abbreviations = new Set(abbreviationData.abbreviations.map(bare))

/** The whitespace token that ends just before `position`, without leading quotes or brackets. */
const tokenBefore = (chars: ReadonlyArray<string>, position: number): string => {
  let start = position
  while (start > 0 && !WHITESPACE.test(chars[start - 1])) start--
  return chars.slice(start, position).join("").replace(/^[^\p{L}\p{N}]+/u, "")
}

export const isAbbreviation = (token: string): boolean => {
  const word = bare(token)
  if (word.length === 0) return false
  if (abbreviations.has(word)) return true
  // Initials: single letters joined by periods (`أ.ف.ب`, `U.S`), or one letter alone (`د`).
  return word.split(".").every((part) => [...part].length === 1 && /\p{L}/u.test(part))
}

const isUrl = (token: string) => /^(?:https?:\/\/|www\.)/iu.test(token) || /^[\w-]+(?:\.[\w-]+)+\/\S*$/u.test(token)

const endsSentence = (chars: ReadonlyArray<string>, markStart: number, markEnd: number, after: number): boolean => {
  const next = chars[after]
  const singlePeriod = markEnd === markStart + 1 && chars[markStart] === "."
  const token = tokenBefore(chars, markStart)
  if (next === undefined || WHITESPACE.test(next)) return !(singlePeriod && isAbbreviation(token))
  // A word glued on by a missing space (`داعش.ولم`) starts a new sentence; initials (`أ.ف.ب`) do not.
  if (ARABIC_LETTER.test(next) && ARABIC_LETTER.test(chars[markStart - 1] ?? "")) {
    return !(singlePeriod && ([...token].length === 1 || token.includes(".") || isUrl(token)))
  }
  return false
}

export const segment = (text: string): Array<Span> => {
  const chars = [...text]
  const spans: Array<Span> = []
  let start = -1
  const finish = (end: number) => {
    if (start < 0) return
    let last = end
    while (last > start && WHITESPACE.test(chars[last - 1])) last--
    if (chars.slice(start, last).some((c) => WORD_CHAR.test(c))) spans.push([start, last])
    start = -1
  }
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]
    if (start < 0) {
      if (!(WORD_CHAR.test(c) || OPENER.test(c))) continue
      start = i
    }
    if (c === "\n") {
      finish(i)
      continue
    }
    if (!TERMINATOR.test(c)) continue
    let markEnd = i
    while (markEnd < chars.length && TERMINATOR.test(chars[markEnd])) markEnd++
    let after = markEnd
    while (after < chars.length && CLOSER.test(chars[after])) after++
    if (endsSentence(chars, i, markEnd, after)) {
      finish(after)
      i = after - 1
    } else {
      i = markEnd - 1
    }
  }
  finish(chars.length)
  return spans
}
