/**
 * Writer: each table as CSV (RFC 4180, header row), JSONL and Arrow with typed columns, the same rows
 * in the same order; SHA256SUMS. Pure encoders here; sink.ts writes the files, parquet.ts the Parquet.
 */
import { Field as ArrowField, Float64, Int32, Schema, Table, Utf8, Vector, makeData, tableToIPC, type Data, type DataType } from "apache-arrow"

export type ColumnKind = "int" | "float" | "string"
export type Columns = ReadonlyArray<readonly [string, ColumnKind]>
type Row = object
/** A cell's value; lone surrogates become U+FFFD, as UTF-8 cannot hold them, so every format says the same. */
const cell = (row: Row, column: string): unknown => {
  const value = (row as Record<string, unknown>)[column] ?? null
  return typeof value === "string" ? value.toWellFormed() : value
}

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

/** Strings encoded to UTF-8 as they come, into one growing buffer (no long string to flatten first). */
class Utf8Buffer {
  private bytes = new Uint8Array(1 << 16)
  length = 0
  add(text: string) {
    if (this.bytes.length - this.length < text.length * 3) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + text.length * 3))
      grown.set(this.bytes.subarray(0, this.length))
      this.bytes = grown
    }
    this.length += encoder.encodeInto(text, this.bytes.subarray(this.length)).written
  }
  done(): Uint8Array {
    return this.bytes.subarray(0, this.length)
  }
}

/** RFC 4180: a cell with a quote, comma or line break is quoted, its quotes doubled; null is an empty cell. */
const csvCell = (value: unknown): string => {
  if (value === null) return ""
  if (typeof value !== "string") return String(value)
  return /[",\r\n]/u.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

const csvLine = (cells: ReadonlyArray<unknown>) => cells.map(csvCell).join(",") + "\r\n"

/** The header row of a table's CSV. */
export const csvHeader = (columns: Columns): Uint8Array => encoder.encode(csvLine(columns.map(([name]) => name)))

/**
 * CSV rows without the header, CRLF between records (the tests read them back with csv-parse and
 * polars). Cells are written as they are (no formula escaping): see the datasheet.
 */
export const toCsvRows = (columns: Columns, rows: ReadonlyArray<Row>): Uint8Array => {
  const out = new Utf8Buffer()
  for (const row of rows) out.add(csvLine(columns.map(([name]) => cell(row, name))))
  return out.done()
}

/** Whether the rows' own keys are the columns, in order, so JSON.stringify writes a row as the contract says. */
const keysAreColumns = (columns: Columns, row: Row | undefined) => {
  const keys = row === undefined ? [] : Object.keys(row)
  return keys.length === columns.length && columns.every(([name], i) => keys[i] === name)
}

export const toJsonl = (columns: Columns, rows: ReadonlyArray<Row>): Uint8Array => {
  const keys = columns.map(([name], i) => `${i === 0 ? "{" : ","}${JSON.stringify(name)}:`)
  const byCell = (row: Row) => {
    let line = ""
    for (let i = 0; i < columns.length; i++) line += keys[i] + JSON.stringify(cell(row, columns[i][0]))
    return line + "}"
  }
  const whole = keysAreColumns(columns, rows[0])
  const out = new Utf8Buffer()
  for (const row of rows) {
    // JSON.stringify escapes a lone surrogate as \udXXX; such rows go cell by cell (U+FFFD, as in every format).
    const line = whole ? JSON.stringify(row) : null
    out.add((line === null || line.includes("\\ud") ? byCell(row) : line) + "\n")
  }
  return out.done()
}

const arrowType = (kind: ColumnKind): DataType => (kind === "int" ? new Int32() : kind === "float" ? new Float64() : new Utf8())

/** Validity bitmap of a column (bit set where the value is present) and its null count. */
const validity = (values: ReadonlyArray<unknown>) => {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8))
  let nullCount = 0
  values.forEach((v, i) => {
    if (v === null) nullCount++
    else bitmap[i >> 3] |= 1 << (i & 7)
  })
  return { nullBitmap: bitmap, nullCount }
}

/** Utf8 column data: every string encoded once, straight into one buffer. */
const utf8Data = (values: ReadonlyArray<string | null>) => {
  const valueOffsets = new Int32Array(values.length + 1)
  const data = new Utf8Buffer()
  values.forEach((value, i) => {
    if (value !== null) data.add(value)
    valueOffsets[i + 1] = data.length
  })
  return makeData({ type: new Utf8(), length: values.length, ...validity(values), valueOffsets, data: data.done() })
}

const arrowData = (kind: ColumnKind, values: ReadonlyArray<unknown>): Data => {
  if (kind === "string") return utf8Data(values as ReadonlyArray<string | null>)
  const numbers = values.map((v) => (v === null ? 0 : (v as number)))
  return kind === "int"
    ? makeData({ type: new Int32(), length: values.length, ...validity(values), data: Int32Array.from(numbers) })
    : makeData({ type: new Float64(), length: values.length, ...validity(values), data: Float64Array.from(numbers) })
}

const arrowTable = (columns: Columns, rows: ReadonlyArray<Row>, metadata: Record<string, string>): Table => {
  const fields = columns.map(([name, kind]) => new ArrowField(name, arrowType(kind), true))
  const vectors = Object.fromEntries(columns.map(([name, kind]) => [name, new Vector([arrowData(kind, rows.map((row) => cell(row, name)))])]))
  return new Table(new Schema(fields, new Map(Object.entries(metadata))), vectors)
}

/** The rows as one record batch, in the Arrow IPC stream format (schema, batch, end). */
export const toArrowBatch = (columns: Columns, rows: ReadonlyArray<Row>, metadata: Record<string, string>): Uint8Array =>
  tableToIPC(arrowTable(columns, rows, metadata), "stream")

/** A table's rows encoded every way: CSV rows (no header), JSONL, one Arrow record batch (IPC stream format). */
export interface EncodedRows {
  readonly rows: number
  readonly csv: Uint8Array
  readonly jsonl: Uint8Array
  readonly arrow: Uint8Array
}

export const encodeRows = (table: TableName, rows: ReadonlyArray<object>, metadata: Record<string, string>): EncodedRows => {
  const columns = TABLES[table]
  return { rows: rows.length, csv: toCsvRows(columns, rows), jsonl: toJsonl(columns, rows), arrow: toArrowBatch(columns, rows, { ...metadata, table }) }
}

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
