/**
 * Parquet, made from the cells the other formats are made of: each chunk's rows become one row group,
 * encoded where the chunk was encoded (write.ts, in a worker), and the main thread appends the row
 * groups to the file and writes the footer (sink.ts). The part of the format used: flat OPTIONAL
 * columns of INT32, DOUBLE and BYTE_ARRAY (UTF-8 strings), one data page (v1) per column chunk, PLAIN
 * values, RLE or bit-packed definition levels, Snappy pages, and statistics (null count, min, max) on
 * the columns a reader may filter on. parquet-wasm's streaming writer, on a thread of its own, took
 * 2.3 of the build's 14.7 CPU-seconds on SaudiNewsNet, copying and decoding every Arrow batch again.
 */
import { compressSync } from "snappy"
import type { ColumnKind, Columns, TableName } from "./write.js"

/**
 * Columns whose values are (nearly) all different: no statistics, whose min and max of long texts no
 * reader filters on.
 */
export const UNIQUE_COLUMNS: Record<TableName, ReadonlyArray<string>> = {
  documents: ["doc_id", "url", "title", "text"],
  sentences: ["sentence_id", "text", "text_norm"],
  mentions: ["mention_id"],
  duplicates: ["doc_id"]
}

/** One column of a chunk: the UTF-8 of every cell (`text[offsets[i], offsets[i + 1])`), the numbers of a numeric one, and which rows are not null. */
export interface ParquetColumn {
  readonly text: Uint8Array
  readonly offsets: Int32Array
  readonly numbers: Int32Array | Float64Array | null
  /** Bit i set where row i is not null (Arrow's validity bitmap, which is what Parquet's bit-packed levels are too). */
  readonly validity: Uint8Array
  readonly nulls: number
}

/** A column chunk of a row group: where it is in the group's bytes, its sizes with its page header, and its statistics. */
export interface ColumnChunk {
  readonly offset: number
  readonly compressed: number
  readonly uncompressed: number
  readonly nulls: number
  readonly min: Uint8Array | null
  readonly max: Uint8Array | null
}

export interface RowGroup {
  readonly rows: number
  readonly bytes: Uint8Array
  readonly columns: ReadonlyArray<ColumnChunk>
}

// parquet.thrift's numbers.
const INT32 = 1
const DOUBLE = 5
const BYTE_ARRAY = 6
const PHYSICAL_TYPE: Record<ColumnKind, number> = { int: INT32, float: DOUBLE, string: BYTE_ARRAY }
const OPTIONAL = 1
const UTF8 = 0
const PLAIN = 0
const RLE = 3
const SNAPPY = 1
const DATA_PAGE = 0

// Thrift compact protocol types.
const I16 = 4
const I32 = 5
const I64 = 6
const BINARY = 8
const LIST = 9
const STRUCT = 12

const encoder = new TextEncoder()
const zigzag = (n: number) => (n >= 0 ? 2 * n : -2 * n - 1)
/** An unsigned LEB128 varint (Thrift's, and the RLE runs' headers). */
const varint = (n: number): Array<number> => {
  const bytes: Array<number> = []
  for (; n >= 0x80; n = Math.floor(n / 0x80)) bytes.push((n % 0x80) | 0x80)
  bytes.push(n)
  return bytes
}

/** Thrift's compact protocol, as much of it as Parquet's metadata needs. A struct's fields go in increasing id order. */
class Thrift {
  private readonly bytes: Array<number> = []
  private lastId = 0
  private readonly outer: Array<number> = []

  private varint(n: number) {
    this.bytes.push(...varint(n))
  }
  private field(id: number, type: number) {
    if (id > this.lastId && id - this.lastId <= 15) this.bytes.push(((id - this.lastId) << 4) | type)
    else {
      this.bytes.push(type)
      this.varint(zigzag(id))
    }
    this.lastId = id
  }
  private binaryValue(value: string | Uint8Array) {
    const bytes = typeof value === "string" ? encoder.encode(value) : value
    this.varint(bytes.length)
    for (const b of bytes) this.bytes.push(b)
  }
  private structValue(body: () => void) {
    this.outer.push(this.lastId)
    this.lastId = 0
    body()
    this.bytes.push(0)
    this.lastId = this.outer.pop()!
  }
  private listHeader(type: number, size: number) {
    if (size < 15) this.bytes.push((size << 4) | type)
    else {
      this.bytes.push(0xf0 | type)
      this.varint(size)
    }
  }

  i16(id: number, n: number) {
    this.field(id, I16)
    this.varint(zigzag(n))
  }
  i32(id: number, n: number) {
    this.field(id, I32)
    this.varint(zigzag(n))
  }
  i64(id: number, n: number) {
    this.field(id, I64)
    this.varint(zigzag(n))
  }
  binary(id: number, value: string | Uint8Array) {
    this.field(id, BINARY)
    this.binaryValue(value)
  }
  struct(id: number, body: () => void) {
    this.field(id, STRUCT)
    this.structValue(body)
  }
  i32s(id: number, values: ReadonlyArray<number>) {
    this.field(id, LIST)
    this.listHeader(I32, values.length)
    for (const n of values) this.varint(zigzag(n))
  }
  binaries(id: number, values: ReadonlyArray<string | Uint8Array>) {
    this.field(id, LIST)
    this.listHeader(BINARY, values.length)
    for (const value of values) this.binaryValue(value)
  }
  structs<A>(id: number, items: ReadonlyArray<A>, body: (item: A, index: number) => void) {
    this.field(id, LIST)
    this.listHeader(STRUCT, items.length)
    items.forEach((item, i) => this.structValue(() => body(item, i)))
  }
  /** The top-level struct written so far, closed. */
  done(): Uint8Array {
    return Uint8Array.from([...this.bytes, 0])
  }
}

const isValid = (validity: Uint8Array, i: number) => (validity[i >> 3] & (1 << (i & 7))) !== 0

/**
 * A data page's body, uncompressed: the definition levels (max level 1: their length, then one run of
 * 1s, or the validity bits as one bit-packed run), then the PLAIN values of the rows that are not null:
 * little-endian numbers (a typed array's own bytes, as on every platform Node runs on but s390x;
 * Arrow's are the same), or each string's length and UTF-8.
 */
const pageBody = (column: ParquetColumn, rows: number): Uint8Array => {
  const { numbers, validity, text, offsets, nulls } = column
  const groups = (rows + 7) >> 3
  const run = nulls === 0 ? [...varint(rows * 2), 1] : varint(groups * 2 + 1)
  const levels = run.length + (nulls === 0 ? 0 : groups)
  const present = rows - nulls
  const size = numbers === null ? 4 : numbers.BYTES_PER_ELEMENT
  const body = Buffer.allocUnsafeSlow(4 + levels + present * size + (numbers === null ? offsets[rows] - offsets[0] : 0))
  body.writeInt32LE(levels, 0)
  body.set(run, 4)
  if (nulls > 0) body.set(validity.subarray(0, groups), 4 + run.length)
  let at = 4 + levels
  if (numbers !== null) {
    const all = new Uint8Array(numbers.buffer, numbers.byteOffset, rows * size)
    if (nulls === 0) body.set(all, at)
    else
      for (let i = 0; i < rows; i++) {
        if (!isValid(validity, i)) continue
        body.set(all.subarray(i * size, (i + 1) * size), at)
        at += size
      }
    return body
  }
  for (let i = 0; i < rows; i++) {
    if (!isValid(validity, i)) continue
    const start = offsets[i]
    const end = offsets[i + 1]
    body.writeInt32LE(end - start, at)
    at += 4
    if (end - start < 64) for (let j = start; j < end; j++) body[at++] = text[j]
    else {
      body.set(text.subarray(start, end), at)
      at += end - start
    }
  }
  return body
}

const compareBytes = (text: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): number => {
  for (; a < aEnd && b < bEnd; a++, b++) if (text[a] !== text[b]) return text[a] - text[b]
  return aEnd - a - (bEnd - b)
}

/**
 * The least and greatest value of the rows that are not null, as Parquet orders them (TYPE_ORDER):
 * signed numbers, strings byte by byte; NaN left out, and a zero as min is -0 and as max +0.
 */
const minMax = (column: ParquetColumn, rows: number): readonly [Uint8Array, Uint8Array] | null => {
  const { numbers, validity, text, offsets } = column
  let least = -1
  let greatest = -1
  for (let i = 0; i < rows; i++) {
    if (!isValid(validity, i)) continue
    if (numbers !== null) {
      if (Number.isNaN(numbers[i])) continue
      if (least === -1 || numbers[i] < numbers[least]) least = i
      if (greatest === -1 || numbers[i] > numbers[greatest]) greatest = i
    } else {
      if (least === -1 || compareBytes(text, offsets[i], offsets[i + 1], offsets[least], offsets[least + 1]) < 0) least = i
      if (greatest === -1 || compareBytes(text, offsets[i], offsets[i + 1], offsets[greatest], offsets[greatest + 1]) > 0) greatest = i
    }
  }
  if (least === -1) return null
  if (numbers === null) return [text.slice(offsets[least], offsets[least + 1]), text.slice(offsets[greatest], offsets[greatest + 1])]
  const bytesOf = (n: number) => {
    const bytes = new Uint8Array(numbers.BYTES_PER_ELEMENT)
    if (numbers instanceof Int32Array) new DataView(bytes.buffer).setInt32(0, n, true)
    else new DataView(bytes.buffer).setFloat64(0, n, true)
    return bytes
  }
  const min = numbers[least]
  const max = numbers[greatest]
  return [bytesOf(min === 0 ? -0 : min), bytesOf(max === 0 ? 0 : max)]
}

/** A chunk's rows as one row group: per column, one Snappy data page and its header. */
export const rowGroup = (columns: Columns, encoded: ReadonlyArray<ParquetColumn>, rows: number, withoutStatistics: ReadonlyArray<string>): RowGroup => {
  const parts: Array<Uint8Array> = []
  const chunks: Array<ColumnChunk> = []
  let offset = 0
  encoded.forEach((column, c) => {
    const body = pageBody(column, rows)
    // Copied into a buffer V8 allocates: one Snappy allocates is not counted as the heap's, so the workers
    // were not collected while their garbage grew, and the build's peak RSS went from ~0.5 to ~0.9 GB.
    const page = compressSync(body, { copyOutputData: true })
    const header = new Thrift()
    header.i32(1, DATA_PAGE)
    header.i32(2, body.length)
    header.i32(3, page.length)
    header.struct(5, () => {
      header.i32(1, rows)
      header.i32(2, PLAIN)
      header.i32(3, RLE)
      header.i32(4, RLE)
    })
    const headerBytes = header.done()
    const range = withoutStatistics.includes(columns[c][0]) ? null : minMax(column, rows)
    chunks.push({ offset, compressed: headerBytes.length + page.length, uncompressed: headerBytes.length + body.length, nulls: column.nulls, min: range?.[0] ?? null, max: range?.[1] ?? null })
    parts.push(headerBytes, page)
    offset += headerBytes.length + page.length
  })
  // Not Buffer.concat: a small result would share Node's pooled buffer, and these bytes are transferred.
  const bytes = Buffer.allocUnsafeSlow(offset)
  let at = 0
  for (const part of parts) {
    bytes.set(part, at)
    at += part.length
  }
  return { rows, bytes, columns: chunks }
}

const MAGIC = encoder.encode("PAR1")

/** A Parquet file made of row groups as they come: its head, each group's bytes as they are appended, and its footer. */
export class ParquetFile {
  private position = MAGIC.length
  private readonly groups: Array<{ readonly at: number; readonly rows: number; readonly columns: ReadonlyArray<ColumnChunk> }> = []
  constructor(
    private readonly columns: Columns,
    private readonly metadata: Record<string, string>
  ) {}

  head(): Uint8Array {
    return MAGIC.slice()
  }

  /** The group's bytes, to append; where they go is kept for the footer. */
  rowGroup(group: RowGroup): Uint8Array {
    this.groups.push({ at: this.position, rows: group.rows, columns: group.columns })
    this.position += group.bytes.length
    return group.bytes
  }

  /** The footer (FileMetaData), its length and the closing magic. */
  tail(): Uint8Array {
    const { columns } = this
    const meta = new Thrift()
    meta.i32(1, 1)
    meta.structs(2, [null, ...columns], (column) => {
      if (column === null) {
        meta.binary(4, "schema")
        meta.i32(5, columns.length)
        return
      }
      const [name, kind] = column
      meta.i32(1, PHYSICAL_TYPE[kind])
      meta.i32(3, OPTIONAL)
      meta.binary(4, name)
      if (kind !== "string") return
      meta.i32(6, UTF8)
      meta.struct(10, () => meta.struct(1, () => {})) // LogicalType STRING
    })
    meta.i64(
      3,
      this.groups.reduce((n, g) => n + g.rows, 0)
    )
    meta.structs(4, this.groups, (group, ordinal) => {
      meta.structs(1, group.columns, (chunk, c) => {
        const [name, kind] = columns[c]
        meta.i64(2, 0) // file_offset, deprecated: 0 when no ColumnMetaData is written outside the footer
        meta.struct(3, () => {
          meta.i32(1, PHYSICAL_TYPE[kind])
          meta.i32s(2, [PLAIN, RLE])
          meta.binaries(3, [name])
          meta.i32(4, SNAPPY)
          meta.i64(5, group.rows)
          meta.i64(6, chunk.uncompressed)
          meta.i64(7, chunk.compressed)
          meta.i64(9, group.at + chunk.offset)
          meta.struct(12, () => {
            meta.i64(3, chunk.nulls)
            if (chunk.max !== null) meta.binary(5, chunk.max)
            if (chunk.min !== null) meta.binary(6, chunk.min)
          })
        })
      })
      meta.i64(
        2,
        group.columns.reduce((n, chunk) => n + chunk.uncompressed, 0)
      )
      meta.i64(3, group.rows)
      meta.i64(5, group.at)
      meta.i64(
        6,
        group.columns.reduce((n, chunk) => n + chunk.compressed, 0)
      )
      meta.i16(7, ordinal)
    })
    meta.structs(5, Object.entries(this.metadata), ([key, value]) => {
      meta.binary(1, key)
      meta.binary(2, value)
    })
    meta.binary(6, "mosul-news-ar")
    meta.structs(7, columns, () => meta.struct(1, () => {})) // ColumnOrder TYPE_ORDER
    const footer = meta.done()
    const tail = new Uint8Array(footer.length + 4 + MAGIC.length)
    tail.set(footer)
    new DataView(tail.buffer).setInt32(footer.length, footer.length, true)
    tail.set(MAGIC, footer.length + 4)
    return tail
  }
}
