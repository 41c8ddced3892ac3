/**
 * The build's two passes over one input file, as pure functions a worker runs.
 * - analyze: normalize and segment every record; hand back what the sequential decisions need
 *   (dedup keys, sentence keys, counts), and each segmented article to be spilled as it is made.
 * - annotate: tag one chunk's kept articles, leaving out repeated sentences, and encode its rows
 *   of every table (CSV rows, JSONL, one Arrow record batch).
 */
import { dedupKey, sentenceKey, type NearParameters } from "./dedup.js"
import { isReject } from "./ingest.js"
import { codePointSlicer } from "./chars.js"
import type { OffsetMap } from "./normalize.js"
import { annotateRecord, bodyNorm, normalizeRecord, segmentRecord, type AnnotationInput, type SegmentedRecord, type SegmentedSentence } from "./record.js"
import type { SpillReader, SpillWriter } from "./spill.js"
import type { Lexicon, PatternTagger } from "./tag.js"
import type { MentionRow, RawRecord, Reject } from "./types.js"
import { tableBuilder, type EncodedRows, type TableName } from "./write.js"

/** Milliseconds spent per stage by a task, for the build's timings. */
export type StageTimes = Record<string, number>

export const stopwatch = () => {
  const ms: StageTimes = {}
  const time = <A>(stage: string, work: () => A): A => {
    const started = performance.now()
    const result = work()
    ms[stage] = (ms[stage] ?? 0) + performance.now() - started
    return result
  }
  return { ms, time }
}

export interface AnalyzedRecord {
  readonly docId: string
  readonly sourceFile: string
  readonly record: number
  readonly encoding: string
  readonly mojibakeRepaired: boolean
  readonly boilerplate: ReadonlyArray<string>
  readonly exact: string
}

export interface Analysis {
  /** Every item of the file in order: a reject, or the index of an analyzed record. */
  readonly items: ReadonlyArray<Reject | number>
  readonly records: ReadonlyArray<AnalyzedRecord>
  /** MinHash signatures of the records, one after another. */
  readonly signatures: Uint32Array
  /** Sentence keys of record i are `sentenceKeys[sentenceEnds[i - 1] ?? 0, sentenceEnds[i])`. */
  readonly sentenceKeys: Float64Array
  readonly sentenceEnds: Int32Array
  readonly stageMs: StageTimes
}

export const sourceOf = (segmented: AnnotationInput) => segmented.record.raw.source ?? "(none)"

/** An offset map as runs: (index, value) pairs where `value - index` changes; most maps are a few runs. */
export const toRuns = (src: ArrayLike<number>): Int32Array => {
  const runs: Array<number> = []
  for (let i = 0; i < src.length; i++) if (i === 0 || src[i] - i !== src[i - 1] - (i - 1)) runs.push(i, src[i])
  return Int32Array.from(runs)
}

/** The map's value at `i`, found in its runs by binary search (annotation looks up a few offsets per sentence). */
export const runLookup = (runs: Int32Array): OffsetMap => ({
  at: (i) => {
    let low = 0
    let high = runs.length / 2 - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (runs[2 * mid] <= i) low = mid
      else high = mid - 1
    }
    return runs[2 * low + 1] + i - runs[2 * low]
  }
})

/**
 * Writes a segmented article for pass 2: what annotation needs, offset maps as runs, each sentence's
 * numbers and `text_norm` (its text is sliced again from the field).
 */
export const spillArticle = (out: SpillWriter, { record, sentences }: SegmentedRecord) => {
  const { raw } = record
  for (const text of [record.docId, raw.sourceFile, raw.source, raw.url, raw.published, record.author]) out.string(text)
  out.int(raw.record)
  out.int(raw.title === null ? -1 : raw.title.rawBase)
  out.int(raw.text.rawBase)
  for (const field of [record.title, record.text]) {
    out.string(field?.text ?? null)
    if (field === null) continue
    out.int(field.src.length) // its code points, so that it is sliced without a search for surrogates
    out.ints(toRuns(field.src))
    out.ints(field.origin)
  }
  out.int(sentences.length)
  for (const s of sentences) {
    for (const n of [s.field === "title" ? 0 : 1, s.start, s.end, s.rawStart, s.rawEnd]) out.int(n)
    out.string(s.textNorm)
  }
}

/** Reads back an article `spillArticle` wrote. */
export const readArticle = (from: SpillReader): AnnotationInput => {
  const [docId, sourceFile, source, url, published, author] = [from.string()!, from.string()!, from.string(), from.string(), from.string(), from.string()]
  const record = from.int()
  const titleBase = from.int()
  const textBase = from.int()
  const slices: Array<((start: number, end: number) => string) | null> = []
  const readField = () => {
    const text = from.string()
    slices.push(text === null ? null : codePointSlicer(text, from.int()))
    return text === null ? null : { text, src: runLookup(from.ints()!), origin: from.ints() }
  }
  const title = readField()
  const text = readField()!
  const sentences: Array<SegmentedSentence> = []
  for (let n = from.int(); n > 0; n--) {
    const field = from.int()
    const [start, end, rawStart, rawEnd] = [from.int(), from.int(), from.int(), from.int()]
    sentences.push({ field: field === 0 ? "title" : "text", start, end, rawStart, rawEnd, text: slices[field]!(start, end), textNorm: from.string()! })
  }
  const raw = { sourceFile, record, source, url, published, title: titleBase === -1 ? null : { rawBase: titleBase }, text: { rawBase: textBase } }
  return { record: { docId, raw, title, text, author }, sentences }
}

/**
 * Analyzes a file's items; each segmented record is handed to `spill` as soon as it is made, so that
 * it dies young (a chunk of them kept until its end would be copied by every scavenge meanwhile).
 */
export const analyze = (items: ReadonlyArray<RawRecord | Reject>, near: NearParameters, spill: (article: SegmentedRecord) => void): Analysis => {
  const out: Array<Reject | number> = []
  const records: Array<AnalyzedRecord> = []
  const signatureSize = near.bands * near.rows
  const signatures: Array<Uint32Array> = []
  const keys: Array<number> = []
  const sentenceEnds: Array<number> = []
  const { ms, time } = stopwatch()
  for (const item of items) {
    const normalized = isReject(item) ? item : time("normalize", () => normalizeRecord(item))
    if (isReject(normalized)) {
      out.push(normalized)
      continue
    }
    const article = time("segment", () => segmentRecord(normalized))
    const key = time("deduplicate (keys)", () => dedupKey(bodyNorm(article), near))
    out.push(records.length)
    records.push({
      docId: normalized.docId,
      sourceFile: normalized.raw.sourceFile,
      record: normalized.raw.record,
      encoding: normalized.raw.encoding,
      mojibakeRepaired: normalized.mojibakeRepaired,
      boilerplate: [...(normalized.title?.boilerplate ?? []), ...normalized.text.boilerplate],
      exact: key.exact
    })
    signatures.push(key.signature)
    time("spill", () => spill(article))
    const source = sourceOf(article)
    for (const sentence of article.sentences) keys.push(sentenceKey(source, sentence.textNorm))
    sentenceEnds.push(keys.length)
  }
  const packed = new Uint32Array(signatures.length * signatureSize)
  signatures.forEach((sig, i) => packed.set(sig, i * signatureSize))
  return { items: out, records, signatures: packed, sentenceKeys: Float64Array.from(keys), sentenceEnds: Int32Array.from(sentenceEnds), stageMs: ms }
}

/** What the datasheet and manifest need of a chunk, without its rows. */
export interface ChunkSummary {
  readonly documents: ReadonlyArray<{ readonly docId: string; readonly source: string | null; readonly published: string | null; readonly words: number }>
  readonly wordsPerSentence: Int32Array
  readonly repeatedSentencesRemoved: number
  /** Mentions by `label/type`. */
  readonly mentionTypes: Readonly<Record<string, number>>
  readonly entities: ReadonlyArray<{ readonly id: string; readonly entity: string; readonly label: string; readonly mentions: number }>
}

export interface AnnotatedChunk {
  readonly tables: Readonly<Record<Exclude<TableName, "duplicates">, EncodedRows>>
  readonly summary: ChunkSummary
  readonly stageMs: StageTimes
}

/** What the datasheet needs of a chunk's mentions, counted as they are made. */
class MentionSummary {
  readonly mentionTypes: Record<string, number> = {}
  private readonly byEntity = new Map<string, { id: string; entity: string; label: string; mentions: number }>()

  add(m: MentionRow) {
    const type = `${m.label}/${m.type}`
    this.mentionTypes[type] = (this.mentionTypes[type] ?? 0) + 1
    if (m.entity_id === null) return
    const entry = this.byEntity.get(m.entity_id) ?? { id: m.entity_id, entity: `${m.entity_en} / ${m.entity_ar}`, label: m.label, mentions: 0 }
    entry.mentions++
    this.byEntity.set(m.entity_id, entry)
  }

  get entities() {
    return [...this.byEntity.values()]
  }
}

/**
 * The rows of a chunk's kept articles (`keep[i]` for its i-th article), repeated sentences left out.
 * Articles are taken from `chunk` one at a time, and each one's rows are encoded as soon as it is tagged.
 */
export const annotate = (
  chunk: Iterable<AnnotationInput>,
  keep: ArrayLike<number>,
  repeated: ReadonlySet<number>,
  lexicon: Lexicon,
  patterns: PatternTagger
): AnnotatedChunk => {
  const builders = { documents: tableBuilder("documents"), sentences: tableBuilder("sentences"), mentions: tableBuilder("mentions") }
  const documents: Array<ChunkSummary["documents"][number]> = []
  const wordsPerSentence: Array<number> = []
  const mentions = new MentionSummary()
  let repeatedSentencesRemoved = 0
  const { ms, time } = stopwatch()
  let i = -1
  for (const article of chunk) {
    if (keep[++i] === 0) continue
    const source = sourceOf(article)
    const isRepeated = (s: { readonly textNorm: string }) => {
      const found = repeated.has(sentenceKey(source, s.textNorm))
      if (found) repeatedSentencesRemoved++
      return found
    }
    const annotated = time("tag", () => annotateRecord(article, lexicon, patterns, isRepeated))
    time("encode", () => {
      const d = annotated.document
      builders.documents.add(d)
      documents.push({ docId: d.doc_id, source: d.source, published: d.published, words: d.n_words })
      for (const sentence of annotated.sentences) {
        builders.sentences.add(sentence)
        wordsPerSentence.push(sentence.n_words)
      }
      for (const mention of annotated.mentions) {
        builders.mentions.add(mention)
        mentions.add(mention)
      }
    })
  }
  const tables = time("encode", () => ({ documents: builders.documents.finish(), sentences: builders.sentences.finish(), mentions: builders.mentions.finish() }))
  return {
    tables,
    stageMs: ms,
    summary: { documents, wordsPerSentence: Int32Array.from(wordsPerSentence), repeatedSentencesRemoved, mentionTypes: mentions.mentionTypes, entities: mentions.entities }
  }
}
