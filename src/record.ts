/**
 * One article through the stages between ingest and write: normalize (clean both fields, find the
 * doc id and dedup key), then segment and tag into the rows of the data contract.
 */
import { codePointSlicer } from "./chars.js"
import { sha256 } from "./dedup.js"
import { arabicShare, letterCensus, persianShare, cleanText, countWords, normalizeForMatch, rawSpan, repairMojibake, type Cleaned, type OffsetMap } from "./normalize.js"
import { segment } from "./segment.js"
import { resolveByDocument, tagSentence, type Lexicon, type PatternTagger } from "./tag.js"
import type { DocumentRow, Field, MentionRow, RawField, RawRecord, Reject, SentenceRow } from "./types.js"

export interface NormalizedRecord {
  readonly raw: RawRecord
  /** Whether the text or title was mojibake, repaired. */
  readonly mojibakeRepaired: boolean
  readonly docId: string
  readonly title: CleanedField | null
  readonly text: CleanedField
  readonly author: string | null
}

export interface AnnotatedRecord {
  readonly document: DocumentRow
  readonly sentences: ReadonlyArray<SentenceRow>
  readonly mentions: ReadonlyArray<MentionRow>
}

const MIN_ARABIC_SHARE = 0.5
/** Arabic news quotes a Persian or Urdu name now and then; a text made of Persian letters is Persian. */
const MAX_PERSIAN_SHARE = 0.02

/** A cleaned field; `origin` maps its raw offsets back to the field as read when it was repaired mojibake. */
export interface CleanedField extends Cleaned {
  readonly origin?: Int32Array
}

const cleanField = (value: string, boilerplate: boolean): CleanedField => {
  const repaired = repairMojibake(value)
  return repaired === null ? cleanText(value, { boilerplate }) : { ...cleanText(repaired.text, { boilerplate }), origin: repaired.origin }
}

/** A name on one line: runs of whitespace and control characters (tabs, line breaks in bylines) become one space. */
const oneLine = (name: string | null): string | null => {
  const line = name?.replace(/[\s\p{Cc}]+/gu, " ").trim() ?? ""
  return line === "" ? null : line
}

export const normalizeRecord = (raw: RawRecord): NormalizedRecord | Reject => {
  const text = cleanField(raw.text.value, true)
  const reject = (reason: Reject["reason"], message: string): Reject => ({ source_file: raw.sourceFile, record: raw.record, reason, message })
  if (text.text === "") return reject("empty_text", "no text left after cleaning")
  const census = letterCensus(text.text)
  const share = arabicShare(census)
  if (share < MIN_ARABIC_SHARE) return reject("not_arabic", `only ${Math.round(share * 100)}% of the letters are Arabic`)
  const persian = persianShare(census)
  if (persian > MAX_PERSIAN_SHARE) return reject("not_arabic", `Persian, not Arabic (${Math.round(persian * 100)}% of the letters are Persian-only)`)
  const title = raw.title === null ? null : cleanField(raw.title.value, false)
  const usableTitle = title !== null && title.text !== "" ? title : null
  return {
    raw,
    mojibakeRepaired: text.origin !== undefined || title?.origin !== undefined,
    docId: sha256(`${usableTitle?.text ?? ""}\n${text.text}`).slice(0, 16),
    title: usableTitle,
    text,
    author: oneLine(raw.author) ?? oneLine(text.author)
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, "0")

export interface SegmentedSentence {
  readonly field: Field
  readonly start: number
  readonly end: number
  readonly rawStart: number
  readonly rawEnd: number
  readonly text: string
  readonly textNorm: string
}

export interface SegmentedRecord {
  readonly record: NormalizedRecord
  readonly sentences: ReadonlyArray<SegmentedSentence>
}

type AnnotatedField = Pick<CleanedField, "text" | "origin"> & { readonly src: OffsetMap }

/** What annotation needs of a segmented record: no raw text, no document `text_norm`. */
export interface AnnotationInput {
  readonly record: {
    readonly docId: string
    readonly raw: Pick<RawRecord, "sourceFile" | "record" | "source" | "url" | "published"> & {
      readonly title: { readonly rawBase: number } | null
      readonly text: { readonly rawBase: number }
    }
    readonly title: AnnotatedField | null
    readonly text: AnnotatedField
    readonly author: string | null
  }
  readonly sentences: ReadonlyArray<SegmentedSentence>
}

export const segmentRecord = (record: NormalizedRecord): SegmentedRecord => {
  const sentences: Array<SegmentedSentence> = []
  const fields: Array<[Field, CleanedField, RawField]> = []
  if (record.title !== null && record.raw.title !== null) fields.push(["title", record.title, record.raw.title])
  fields.push(["text", record.text, record.raw.text])
  for (const [field, cleaned, rawField] of fields) {
    const slice = codePointSlicer(cleaned.text, cleaned.src.length)
    for (const [start, end] of segment(cleaned.text)) {
      const text = slice(start, end)
      const [rawStart, rawEnd] = rawSpan(cleaned.src, start, end, rawField.rawBase, cleaned.origin)
      sentences.push({ field, start, end, rawStart, rawEnd, text, textNorm: normalizeForMatch(text) })
    }
  }
  return { record, sentences }
}

/**
 * `text_norm` of the body, the key of exact and near deduplication: its sentences' `text_norm`
 * joined by spaces (the text is normalized for matching once, sentence by sentence).
 */
export const bodyNorm = ({ sentences }: SegmentedRecord): string =>
  sentences
    .filter((s) => s.field === "text")
    .map((s) => s.textNorm)
    .join(" ")

/** Rows of one article; sentences for which `isBoilerplate` holds are left out. */
export const annotateRecord = (
  segmented: AnnotationInput,
  lexicon: Lexicon,
  patterns?: PatternTagger,
  isBoilerplate: (s: SegmentedSentence) => boolean = () => false
): AnnotatedRecord => {
  const { record } = segmented
  const { raw, docId } = record
  const sentences: Array<SentenceRow> = []
  const mentions: Array<MentionRow> = []
  let textWords = 0 // the words of the text: its sentences hold all of them, the ones left out too (segment splits no word)
  const kept: Array<SegmentedSentence> = [] // kept[k] is the sentence of sentences[k]
  for (const sentence of segmented.sentences) {
    const words = countWords(sentence.text)
    if (sentence.field === "text") textWords += words
    if (isBoilerplate(sentence)) continue
    kept.push(sentence)
    sentences.push({
      sentence_id: `${docId}-s${pad(sentences.length, 4)}`,
      doc_id: docId,
      index: sentences.length,
      field: sentence.field,
      start: sentence.start,
      end: sentence.end,
      raw_start: sentence.rawStart,
      raw_end: sentence.rawEnd,
      text: sentence.text,
      text_norm: sentence.textNorm,
      n_words: words
    })
  }
  // All the document's sentences are tagged before any mention is made: some names are decided by the whole document.
  const tagged = resolveByDocument(kept.map((sentence) => tagSentence(sentence.text, lexicon, patterns)))
  kept.forEach((sentence, k) => {
    const sentenceId = sentences[k].sentence_id
    const cleaned = sentence.field === "title" ? record.title! : record.text
    const rawBase = sentence.field === "title" ? raw.title!.rawBase : raw.text.rawBase
    for (const tag of tagged[k]) {
      const [rawStart, rawEnd] = rawSpan(cleaned.src, sentence.start + tag.start, sentence.start + tag.end, rawBase, cleaned.origin)
      mentions.push({
        mention_id: `${docId}-m${pad(mentions.length, 4)}`,
        doc_id: docId,
        sentence_id: sentenceId,
        start: tag.start,
        end: tag.end,
        raw_start: rawStart,
        raw_end: rawEnd,
        text: tag.text,
        name: tag.name,
        label: tag.label,
        type: tag.type,
        entity_id: tag.entity?.id ?? null,
        entity_ar: tag.entity?.ar[0] ?? null,
        entity_en: tag.entity?.en ?? null,
        lat: tag.entity?.lat ?? null,
        lon: tag.entity?.lon ?? null,
        method: tag.method
      })
    }
  })
  const document: DocumentRow = {
    doc_id: docId,
    source_file: raw.sourceFile,
    record: raw.record,
    source: raw.source,
    url: raw.url,
    title: record.title?.text ?? null,
    author: record.author,
    published: raw.published,
    text: record.text.text,
    n_sentences: sentences.length,
    n_words: textWords,
    n_mentions: mentions.length
  }
  return { document, sentences, mentions }
}
