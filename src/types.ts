/** A text field of a raw record, with where it starts in the raw text that offsets index. */
export interface RawField {
  readonly value: string
  /** Code-point offset of `value` inside the raw text as read (non-zero for a .txt body after its title line). */
  readonly rawBase: number
}

/** One article as read from a file of RAW, before any cleaning. */
export interface RawRecord {
  readonly sourceFile: string
  readonly record: number
  readonly text: RawField
  readonly title: RawField | null
  readonly source: string | null
  readonly url: string | null
  readonly author: string | null
  readonly published: string | null
  readonly encoding: string
}

export type RejectReason =
  | "unsupported_format"
  | "unreadable"
  | "binary"
  | "invalid_json"
  | "json_not_array"
  | "not_an_object"
  | "invalid_csv"
  | "missing_text_column"
  | "missing_text"
  | "empty_text"
  | "not_arabic"
  | "symlink_outside_raw"

export interface Reject {
  readonly source_file: string
  /** Index of the record in its file; null when the whole file was unusable. */
  readonly record: number | null
  readonly reason: RejectReason
  readonly message: string
}

export interface DocumentRow {
  readonly doc_id: string
  readonly source_file: string
  readonly record: number
  readonly source: string | null
  readonly url: string | null
  readonly title: string | null
  readonly author: string | null
  readonly published: string | null
  readonly text: string
  readonly n_sentences: number
  readonly n_words: number
  readonly n_mentions: number
}

export type Field = "title" | "text"

export interface SentenceRow {
  readonly sentence_id: string
  readonly doc_id: string
  readonly index: number
  readonly field: Field
  readonly start: number
  readonly end: number
  readonly raw_start: number
  readonly raw_end: number
  readonly text: string
  readonly text_norm: string
  readonly n_words: number
}

export type Label = "PLACE" | "ACTOR"

export interface MentionRow {
  readonly mention_id: string
  readonly doc_id: string
  readonly sentence_id: string
  readonly start: number
  readonly end: number
  readonly raw_start: number
  readonly raw_end: number
  readonly text: string
  readonly name: string
  readonly label: Label
  readonly type: string
  readonly entity_id: string | null
  readonly entity_ar: string | null
  readonly entity_en: string | null
  readonly lat: number | null
  readonly lon: number | null
  readonly method: "lexicon" | "pattern"
}

export interface DuplicateRow {
  readonly doc_id: string
  readonly source_file: string
  readonly record: number
  readonly kept_doc_id: string
  readonly kind: "exact" | "near"
  readonly similarity: number
}
