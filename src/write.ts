/**
 * Writer: each table as CSV (RFC 4180, header row), JSONL, Arrow and Parquet (parquet.ts) with typed
 * columns, the same rows in the same order; SHA256SUMS. Pure encoders here; sink.ts writes the files.
 */
import { grown } from "./grown.js"
import { rowGroup, UNIQUE_COLUMNS, type ParquetColumn, type RowGroup } from "./parquet.js"
import { Field as ArrowField, Float64, Int32, RecordBatch, Schema, Struct, Utf8, makeData, type Data, type DataType } from "apache-arrow"
import { Message, RecordBatch as RecordBatchHeader } from "apache-arrow/ipc/metadata/message"
import { VectorAssembler } from "apache-arrow/visitor/vectorassembler"

export type ColumnKind = "int" | "float" | "string"
export type Columns = ReadonlyArray<readonly [string, ColumnKind]>
type Row = object
const cell = (row: Row, column: string): unknown => (row as Record<string, unknown>)[column] ?? null

export const TABLES = {
  documents: [
    ["doc_id", "string"], ["source_file", "string"], ["record", "int"], ["source", "string"], ["url", "string"],
    ["title", "string"], ["author", "string"], ["published", "string"], ["text", "string"],
    ["n_sentences", "int"], ["n_words", "int"], ["n_mentions", "int"]
  ],
  sentences: [
    ["sentence_id", "string"], ["doc_id", "string"], ["index", "int"], ["field", "string"], ["start", "int"], ["end", "int"],
    ["raw_start", "int"], ["raw_end", "int"], ["text", "string"], ["text_norm", "string"], ["n_words", "int"]
  ],
  mentions: [
    ["mention_id", "string"], ["doc_id", "string"], ["sentence_id", "string"], ["start", "int"], ["end", "int"],
    ["raw_start", "int"], ["raw_end", "int"], ["text", "string"], ["name", "string"], ["label", "string"], ["type", "string"],
    ["entity_id", "string"], ["entity_ar", "string"], ["entity_en", "string"], ["lat", "float"], ["lon", "float"], ["method", "string"]
  ],
  duplicates: [
    ["doc_id", "string"], ["source_file", "string"], ["record", "int"], ["kept_doc_id", "string"], ["kind", "string"], ["similarity", "float"]
  ]
} as const satisfies Record<string, Columns>

export type TableName = keyof typeof TABLES

export const TABLE_NAMES = Object.keys(TABLES) as ReadonlyArray<TableName>

const encoder = new TextEncoder()
const indexOf = Buffer.prototype.indexOf as (this: Uint8Array, value: number, byteOffset: number) => number

/** A growing byte buffer over its own ArrayBuffer (so it can be transferred; not zeroed, as every byte is written before it is read), written with Buffer's UTF-8 writer. */
class Bytes {
  bytes: Buffer
  length = 0
  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafeSlow(Math.max(capacity, 64))
  }
  room(n: number) {
    if (this.bytes.length - this.length >= n) return
    const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.length + n))
    grown.set(this.bytes.subarray(0, this.length))
    this.bytes = grown
  }
  byte(b: number) {
    this.room(1)
    this.bytes[this.length++] = b
  }
  string(text: string) {
    this.room(text.length * 3)
    this.length += this.bytes.write(text, this.length)
  }
  /** Copies `from[start, end)`; short runs byte by byte (a subarray costs more than it saves). */
  copy(from: Uint8Array, start: number, end: number) {
    this.room(end - start)
    if (end - start < 64) {
      const { bytes } = this
      let at = this.length
      for (let i = start; i < end; i++) bytes[at++] = from[i]
      this.length = at
    } else {
      this.bytes.set(from.subarray(start, end), this.length)
      this.length += end - start
    }
  }
  /**
   * Copies `from[start, end)` with the bytes `escapes` has a sequence for replaced by it: JSON's and
   * CSV's escaping, done on the UTF-8 (no byte of a multi-byte character is below 0x80, so none is
   * taken for a quote or a control character).
   */
  copyEscaped(from: Uint8Array, start: number, end: number, escapes: Escapes) {
    const { escaped, sequences } = escapes
    let kept = start // from[kept, i) has nothing to escape, not copied yet
    for (let i = start; i < end; i++) {
      if (escaped[from[i]] === 0) continue
      const sequence = sequences[from[i]]
      this.copy(from, kept, i)
      this.copy(sequence, 0, sequence.length)
      kept = i + 1
    }
    this.copy(from, kept, end)
  }
  /**
   * `copyEscaped` for a long cell where only the bytes `found` can need escaping: each is found by
   * Buffer's indexOf (memchr), some 30 times faster than testing every byte of a long text.
   */
  copyEscapedFound(from: Uint8Array, start: number, end: number, escapes: Escapes, found: ReadonlyArray<number>) {
    const cell = from.subarray(start, end)
    const next = found.map((b) => indexOf.call(cell, b, 0))
    let kept = 0
    for (;;) {
      let k = -1
      for (let j = 0; j < next.length; j++) if (next[j] >= kept && (k === -1 || next[j] < next[k])) k = j
      if (k === -1) break
      const at = next[k]
      const sequence = escapes.sequences[found[k]]
      this.copy(cell, kept, at)
      this.copy(sequence, 0, sequence.length)
      kept = at + 1
      next[k] = indexOf.call(cell, found[k], kept)
    }
    this.copy(cell, kept, cell.length)
  }
  done(): Uint8Array {
    return new Uint8Array(this.bytes.buffer, 0, this.length)
  }
}

/** What a cell needs in CSV and JSON besides its bytes, as bits. */
const NULL = 1 // an empty CSV cell, `null` in JSON
const NUMBER = 2 // not quoted in JSON
const CSV_QUOTED = 4 // RFC 4180: a cell with a quote, comma or line break is quoted...
const CSV_DOUBLED = 8 // ...and its quotes doubled
const JSON_ESCAPED = 16 // holds a quote, a backslash or a control character
const NOT_FINITE = 32 // NaN or ±Infinity: `null` in JSON, which has no such numbers
const RARE_CONTROL = 64 // a control character other than LF, which JSON escapes

const QUOTE = 0x22
const COMMA = 0x2c

/** The bits an ASCII code unit sets. */
const ASCII_FLAGS = (() => {
  const table = new Uint8Array(0x80)
  for (let c = 0; c < 0x20; c++) table[c] = JSON_ESCAPED | (c === 0x0a ? 0 : RARE_CONTROL)
  table[0x0a] |= CSV_QUOTED
  table[0x0d] |= CSV_QUOTED
  table[QUOTE] = JSON_ESCAPED | CSV_QUOTED | CSV_DOUBLED
  table[0x5c] = JSON_ESCAPED
  table[COMMA] = CSV_QUOTED
  return table
})()

/**
 * The bytes a format escapes (`escaped[b]` is 1, a byte table: the copy tests every byte of long texts)
 * and the sequence written for each.
 */
interface Escapes {
  readonly escaped: Uint8Array
  readonly sequences: ReadonlyArray<Uint8Array>
}

const escapes = (sequenceOf: (byte: number) => Uint8Array | undefined): Escapes => {
  const sequences = Array.from({ length: 0x100 }, (_, b) => sequenceOf(b))
  return { escaped: Uint8Array.from(sequences, (sequence) => (sequence === undefined ? 0 : 1)), sequences: sequences.map((sequence) => sequence ?? new Uint8Array(0)) }
}

/** What JSON.stringify writes for the ASCII it escapes: `\"`, `\\`, `\n` and the like, `\u00XX` for other controls. */
const JSON_ESCAPES = escapes((c) => ((ASCII_FLAGS[c] & JSON_ESCAPED) !== 0 ? encoder.encode(JSON.stringify(String.fromCharCode(c)).slice(1, -1)) : undefined))
/** RFC 4180: a quote in a quoted cell is doubled. */
const CSV_ESCAPES = escapes((c) => ((ASCII_FLAGS[c] & CSV_DOUBLED) !== 0 ? Uint8Array.of(c, c) : undefined))

const ANY_SPECIAL = /[",\\\u0000-\u001f]/u
const CONTROL = /[\u0000-\u001f]/u
const CONTROL_BUT_LF = /[\u0000-\u0009\u000b-\u001f]/u

/**
 * Called as a function: cells come as strings of every representation (flat, sliced, concatenated;
 * one or two bytes a character), and a method looked up on so many kinds of receiver is looked up
 * again for every character (V8's megamorphic property load).
 */
const charCodeAt = String.prototype.charCodeAt

/** Writes a cell's text as UTF-8 (lone surrogates as U+FFFD, as UTF-8 cannot hold them) and returns its bits. */
const writeText = (out: Bytes, value: string): number => {
  const length = value.length
  if (length <= 24) {
    out.room(length)
    // Ids, labels and types: ASCII written in this loop, its bits found on the way.
    const start = out.length
    let flags = 0
    let i = 0
    for (; i < length; i++) {
      const c = charCodeAt.call(value, i)
      if (c >= 0x80) break
      flags |= ASCII_FLAGS[c]
      out.bytes[out.length++] = c
    }
    if (i === length) return flags
    out.length = start
  }
  out.string(value)
  if (!ANY_SPECIAL.test(value)) return 0
  let flags = 0
  if (value.includes('"')) flags |= ASCII_FLAGS[QUOTE]
  if (value.includes(",")) flags |= CSV_QUOTED
  if (value.includes("\\")) flags |= JSON_ESCAPED
  if (CONTROL.test(value)) {
    const rare = CONTROL_BUT_LF.test(value)
    flags |= JSON_ESCAPED | (rare ? RARE_CONTROL : 0) | (value.includes("\n") || (rare && value.includes("\r")) ? CSV_QUOTED : 0)
  }
  return flags
}

/** Writes a non-negative integer's decimal digits. */
const writeInteger = (out: Bytes, n: number) => {
  let digits = 1
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++
  out.room(digits)
  out.length += digits
  for (let at = out.length - 1; at >= out.length - digits; at--, n = Math.floor(n / 10)) out.bytes[at] = 0x30 + (n % 10)
}

/**
 * One column of a chunk, every cell encoded once: `text[offsets[i], offsets[i + 1])` holds row i's
 * UTF-8 (for a string column, the Arrow column's own bytes) and `flags[i]` what CSV and JSON must add.
 */
interface EncodedColumn extends ParquetColumn {
  readonly arrow: Data
  readonly flags: Uint8Array
}

interface ColumnSize {
  readonly rows: number
  readonly bytes: number
}

/**
 * The sizes of each table's columns in the last chunk this thread encoded: the next chunk's columns
 * start about as large, rather than doubling their way up from small.
 */
const lastSizes = new WeakMap<Columns, ReadonlyArray<ColumnSize>>()

/**
 * A column's cells encoded as they are added, so a chunk's rows need not be kept until its end (they
 * die young, rather than being copied by every scavenge while the chunk is tagged).
 */
class ColumnBuilder {
  private readonly text: Bytes
  private offsets: Int32Array
  private flags: Uint8Array
  private numbers: Int32Array | Float64Array
  private rows = 0
  private nulls = 0

  constructor(
    private readonly kind: ColumnKind,
    expected: ColumnSize = { rows: 256, bytes: 1 << 12 }
  ) {
    this.text = new Bytes(Math.ceil(expected.bytes * 1.1))
    // One length for the three, so one check covers them.
    const rows = Math.ceil(expected.rows * 1.1) + 2
    this.offsets = new Int32Array(rows)
    this.flags = new Uint8Array(rows)
    this.numbers = kind === "int" ? new Int32Array(rows) : new Float64Array(rows)
  }

  get size(): ColumnSize {
    return { rows: this.rows, bytes: this.text.length }
  }

  add(value: unknown) {
    const i = this.rows++
    // Checked here, not in `grown` (see there).
    if (i + 2 > this.offsets.length) {
      this.offsets = grown(this.offsets, i + 2)
      this.flags = grown(this.flags, i + 2)
      if (this.kind !== "string") this.numbers = grown(this.numbers, i + 2)
    }
    if (this.kind !== "string") this.numbers[i] = value === null ? 0 : (value as number)
    const { text } = this
    if (value === null) {
      this.flags[i] = NULL
      this.nulls++
    } else if (typeof value === "string") {
      this.flags[i] = writeText(text, value)
    } else if (Number.isInteger(value) && (value as number) >= 0 && (value as number) < 2 ** 53) {
      writeInteger(text, value as number)
      this.flags[i] = NUMBER
    } else {
      writeText(text, String(value))
      this.flags[i] = Number.isFinite(value) ? NUMBER : NOT_FINITE
    }
    this.offsets[i + 1] = text.length
  }

  finish(): EncodedColumn {
    const { rows, kind } = this
    const bytes = this.text.done()
    const offsets = this.offsets.subarray(0, rows + 1)
    const flags = this.flags.subarray(0, rows)
    // Validity bitmap: a bit set where the value is present.
    const nullBitmap = new Uint8Array(Math.ceil(rows / 8))
    for (let i = 0; i < rows; i++) if ((flags[i] & NULL) === 0) nullBitmap[i >> 3] |= 1 << (i & 7)
    const validity = { length: rows, nullBitmap, nullCount: this.nulls }
    const numbers = kind === "string" ? null : this.numbers.subarray(0, rows)
    const arrow =
      numbers === null
        ? makeData({ type: new Utf8(), ...validity, valueOffsets: offsets, data: bytes })
        : numbers instanceof Int32Array
          ? makeData({ type: new Int32(), ...validity, data: numbers })
          : makeData({ type: new Float64(), ...validity, data: numbers })
    return { arrow, text: bytes, offsets, flags, numbers, validity: nullBitmap, nulls: this.nulls }
  }
}

/** The ASCII bytes whose flags have all of `bits` and none of `without`. */
const bytesFlagged = (bits: number, without = 0) => [...ASCII_FLAGS.keys()].filter((c) => (ASCII_FLAGS[c] & bits) === bits && (ASCII_FLAGS[c] & without) === 0)
/** The bytes JSON escapes in a cell without RARE_CONTROL (quote, backslash, LF), and those CSV doubles (quote). */
const JSON_ESCAPED_BYTES = bytesFlagged(JSON_ESCAPED, RARE_CONTROL)
const CSV_DOUBLED_BYTES = bytesFlagged(CSV_DOUBLED)
/** Cells this long or longer are searched for the bytes they escape (`copyEscapedFound`). */
const LONG_CELL = 128

const quoted = (out: Bytes, text: Uint8Array, start: number, end: number, escapes?: Escapes, found?: ReadonlyArray<number>) => {
  out.byte(QUOTE)
  if (escapes === undefined) out.copy(text, start, end)
  else if (found !== undefined && end - start >= LONG_CELL) out.copyEscapedFound(text, start, end, escapes, found)
  else out.copyEscaped(text, start, end, escapes)
  out.byte(QUOTE)
}

/** The header row of a table's CSV (the column names need no quotes). */
export const csvHeader = (columns: Columns): Uint8Array => encoder.encode(columns.map(([name]) => name).join(",") + "\r\n")

/**
 * CSV rows (no header, CRLF between records, cells written as they are: no formula escaping, see the
 * datasheet) and JSONL lines (keys in column order), from the encoded columns.
 */
const csvAndJsonl = (columns: Columns, encoded: ReadonlyArray<EncodedColumn>, rows: number) => {
  const size = encoded.reduce((n, column) => n + column.text.length, 0)
  const csv = new Bytes(size + rows * (encoded.length + 2))
  const jsonl = new Bytes(size + rows * 16 * encoded.length)
  const keys = columns.map(([name], i) => encoder.encode(`${i === 0 ? "{" : ","}${JSON.stringify(name)}:`))
  const nullBytes = encoder.encode("null")
  for (let row = 0; row < rows; row++) {
    for (let c = 0; c < encoded.length; c++) {
      const { text, offsets, flags } = encoded[c]
      const start = offsets[row]
      const end = offsets[row + 1]
      const cellFlags = flags[row]
      if (c > 0) csv.byte(COMMA)
      jsonl.copy(keys[c], 0, keys[c].length)
      if ((cellFlags & (NULL | NOT_FINITE)) !== 0) jsonl.copy(nullBytes, 0, nullBytes.length)
      else if ((cellFlags & NUMBER) !== 0) jsonl.copy(text, start, end)
      else if ((cellFlags & JSON_ESCAPED) !== 0) quoted(jsonl, text, start, end, JSON_ESCAPES, (cellFlags & RARE_CONTROL) === 0 ? JSON_ESCAPED_BYTES : undefined)
      else quoted(jsonl, text, start, end)
      if ((cellFlags & CSV_DOUBLED) !== 0) quoted(csv, text, start, end, CSV_ESCAPES, CSV_DOUBLED_BYTES)
      else if ((cellFlags & CSV_QUOTED) !== 0) quoted(csv, text, start, end)
      else csv.copy(text, start, end)
    }
    csv.byte(0x0d)
    csv.byte(0x0a)
    jsonl.byte(0x7d)
    jsonl.byte(0x0a)
  }
  return { csv: csv.done(), jsonl: jsonl.done() }
}

const arrowType = (kind: ColumnKind): DataType => (kind === "int" ? new Int32() : kind === "float" ? new Float64() : new Utf8())

/** A table's Arrow schema, with its metadata. */
export const arrowSchema = (columns: Columns, metadata: Record<string, string>): Schema =>
  new Schema(
    columns.map(([name, kind]) => new ArrowField(name, arrowType(kind), true)),
    new Map(Object.entries(metadata))
  )

/**
 * A record batch message of the Arrow IPC format, made as apache-arrow's writers make one (the
 * continuation marker, the metadata's length, the metadata padded to 8 bytes, then the body, whose
 * buffers VectorAssembler lays out at 8-byte offsets), but without the stream around it: its schema,
 * encoded again for every chunk by `tableToIPC`, took more time than the batch.
 */
const arrowBatch = (schema: Schema, encoded: ReadonlyArray<EncodedColumn>, rows: number): Uint8Array => {
  const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children: encoded.map((column) => column.arrow) }))
  const { byteLength, nodes, bufferRegions, buffers } = VectorAssembler.assemble(batch)
  const metadata = Message.encode(Message.from(new RecordBatchHeader(rows, nodes, bufferRegions, null), byteLength))
  const bodyAt = (8 + metadata.length + 7) & ~7
  const message = new Uint8Array(bodyAt + byteLength) // zeroed: the paddings are zeros
  const view = new DataView(message.buffer)
  view.setInt32(0, -1, true)
  view.setInt32(4, bodyAt - 8, true)
  message.set(metadata, 8)
  buffers.forEach((buffer, i) => message.set(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), bodyAt + bufferRegions[i].offset))
  return message
}

/** A table's rows encoded every way: CSV rows (no header), JSONL, one Arrow record batch message (see `arrowBatch`), one Parquet row group (none for no rows). */
export interface EncodedRows {
  readonly rows: number
  readonly csv: Uint8Array
  readonly jsonl: Uint8Array
  readonly arrow: Uint8Array
  readonly parquet: RowGroup | null
}

/** Rows of the given columns, each cell encoded to UTF-8 once as its row is added; then every format. */
export class TableBuilder {
  private readonly builders: ReadonlyArray<ColumnBuilder>
  /** The fields of the Arrow batches (the file's schema, with its metadata, is sink.ts's). */
  private readonly schema: Schema
  private rows = 0
  constructor(
    private readonly columns: Columns,
    /** Columns whose Parquet row groups carry no min and max. */
    private readonly withoutStatistics: ReadonlyArray<string> = []
  ) {
    const sizes = lastSizes.get(columns)
    this.schema = arrowSchema(columns, {})
    this.builders = columns.map(([, kind], c) => new ColumnBuilder(kind, sizes?.[c]))
  }

  add(row: Row) {
    for (let c = 0; c < this.columns.length; c++) this.builders[c].add(cell(row, this.columns[c][0]))
    this.rows++
  }

  finish(): EncodedRows {
    if (this.rows > 0) lastSizes.set(this.columns, this.builders.map((builder) => builder.size))
    const { columns, rows } = this
    const encoded = this.builders.map((builder) => builder.finish())
    return {
      rows,
      ...csvAndJsonl(columns, encoded, rows),
      arrow: arrowBatch(this.schema, encoded, rows),
      parquet: rows === 0 ? null : rowGroup(columns, encoded, rows, this.withoutStatistics)
    }
  }
}

/** A builder of one of the release's tables. */
export const tableBuilder = (table: TableName) => new TableBuilder(TABLES[table], UNIQUE_COLUMNS[table])

/** Rows of the given columns in every format, each cell encoded to UTF-8 once. */
export const encodeTable = (columns: Columns, rows: ReadonlyArray<Row>, withoutStatistics: ReadonlyArray<string> = []): EncodedRows => {
  const builder = new TableBuilder(columns, withoutStatistics)
  for (const row of rows) builder.add(row)
  return builder.finish()
}

export const encodeRows = (table: TableName, rows: ReadonlyArray<object>): EncodedRows => encodeTable(TABLES[table], rows, UNIQUE_COLUMNS[table])

export interface FileEntry {
  readonly name: string
  readonly rows: number | null
  readonly bytes: number
  readonly sha256: string
}

/** `sha256sum -c` format, files in name order. */
export const sha256Sums = (files: ReadonlyArray<FileEntry>): Uint8Array =>
  encoder.encode(
    [...files]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((f) => `${f.sha256}  ${f.name}\n`)
      .join("")
  )
