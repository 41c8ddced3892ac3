/**
 * One article through the stages between ingest and write: normalize (clean both fields, find the
 * doc id and dedup key), then segment and tag into the rows of the data contract.
 */
import { exactKey, sha256 } from "./dedup.js"
import { arabicShare, cleanText, countWords, normalizeForMatch, rawSpan, type Cleaned } from "./normalize.js"
import { segment } from "./segment.js"
import { tagSentence, type Lexicon } from "./tag.js"
import type { DocumentRow, Field, MentionRow, RawField, RawRecord, Reject, SentenceRow } from "./types.js"

export interface NormalizedRecord {
  readonly raw: RawRecord
  readonly docId: string
  readonly dedupKey: string
  readonly title: Cleaned | null
  readonly text: Cleaned
  readonly author: string | null
}

export interface AnnotatedRecord {
  readonly document: DocumentRow
  readonly sentences: ReadonlyArray<SentenceRow>
  readonly mentions: ReadonlyArray<MentionRow>
}

const MIN_ARABIC_SHARE = 0.5

export const normalizeRecord = (raw: RawRecord): NormalizedRecord | Reject => {
  const text = cleanText(raw.text.value)
  const reject = (reason: Reject["reason"], message: string): Reject => ({ source_file: raw.sourceFile, record: raw.record, reason, message })
  if (text.text === "") return reject("empty_text", "no text left after cleaning")
  const share = arabicShare(text.text)
  if (share < MIN_ARABIC_SHARE) return reject("not_arabic", `only ${Math.round(share * 100)}% of the letters are Arabic`)
  const title = raw.title === null ? null : cleanText(raw.title.value, { boilerplate: false })
  const usableTitle = title !== null && title.text !== "" ? title : null
  return {
    raw,
    docId: sha256(`${usableTitle?.text ?? ""}\n${text.text}`).slice(0, 16),
    dedupKey: exactKey(text.text),
    title: usableTitle,
    text,
    author: raw.author ?? text.author
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, "0")

export const annotateRecord = (record: NormalizedRecord, lexicon: Lexicon): AnnotatedRecord => {
  const { raw, docId } = record
  const sentences: Array<SentenceRow> = []
  const mentions: Array<MentionRow> = []
  const fields: Array<[Field, Cleaned, RawField]> = []
  if (record.title !== null && raw.title !== null) fields.push(["title", record.title, raw.title])
  fields.push(["text", record.text, raw.text])
  for (const [field, cleaned, rawField] of fields) {
    const chars = [...cleaned.text]
    for (const [start, end] of segment(cleaned.text)) {
      const sentenceId = `${docId}-s${pad(sentences.length, 4)}`
      const text = chars.slice(start, end).join("")
      const [rawStart, rawEnd] = rawSpan(cleaned.src, start, end, rawField.rawBase)
      sentences.push({
        sentence_id: sentenceId,
        doc_id: docId,
        index: sentences.length,
        field,
        start,
        end,
        raw_start: rawStart,
        raw_end: rawEnd,
        text,
        text_norm: normalizeForMatch(text),
        n_words: countWords(text)
      })
      for (const tag of tagSentence(text, lexicon)) {
        const [mentionRawStart, mentionRawEnd] = rawSpan(cleaned.src, start + tag.start, start + tag.end, rawField.rawBase)
        mentions.push({
          mention_id: `${docId}-m${pad(mentions.length, 4)}`,
          doc_id: docId,
          sentence_id: sentenceId,
          start: tag.start,
          end: tag.end,
          raw_start: mentionRawStart,
          raw_end: mentionRawEnd,
          text: tag.text,
          name: tag.name,
          label: tag.entity.label,
          type: tag.type,
          entity_id: tag.entity.id,
          entity_ar: tag.entity.ar[0] ?? null,
          entity_en: tag.entity.en,
          lat: tag.entity.lat ?? null,
          lon: tag.entity.lon ?? null,
          method: "lexicon"
        })
      }
    }
  }
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
    n_words: countWords(record.text.text),
    n_mentions: mentions.length
  }
  return { document, sentences, mentions }
}
