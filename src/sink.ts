/**
 * Release files written as they grow, so no table is ever whole in memory. Every byte is hashed on
 * its way to disk, so the manifest's checksums need no second read. A table's files take its rows
 * chunk by chunk: CSV and JSONL appended, Arrow record batches through apache-arrow's
 * RecordBatchFileWriter, and on to a Parquet writer (parquet.ts).
 */
import { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { AsyncByteQueue, RecordBatchFileWriter, tableFromIPC } from "apache-arrow"
import { Effect } from "effect"
import { createHash } from "node:crypto"
import { TABLES, csvHeader, emptyArrowBatch, type EncodedRows, type FileEntry, type TableName } from "./write.js"

export interface FileSink {
  readonly append: (bytes: Uint8Array, rows?: number) => Effect.Effect<void, PlatformError>
  /** Name, rows (when the file has rows), bytes and SHA-256 of what was appended; call once, at the end. */
  readonly entry: () => FileEntry
}

/** A file of the release, opened for writing in the current scope. */
export const openFile = (dir: string, name: string, hasRows: boolean) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const file = yield* fs.open(`${dir}/${name}`, { flag: "w" })
    const hash = createHash("sha256")
    let bytes = 0
    let rows = 0
    return {
      append: (chunk, n = 0) =>
        Effect.suspend(() => {
          hash.update(chunk)
          bytes += chunk.length
          rows += n
          return chunk.length === 0 ? Effect.void : file.writeAll(chunk)
        }),
      entry: () => ({ name, rows: hasRows ? rows : null, bytes, sha256: hash.digest("hex") })
    } satisfies FileSink
  })

/** Takes what an Arrow writer writes, to be handed on after each batch. */
class Collected extends AsyncByteQueue {
  chunks: Array<Uint8Array> = []
  override write(value: Uint8Array) {
    if (value.byteLength > 0) this.chunks.push(value)
  }
  take() {
    const chunks = this.chunks
    this.chunks = []
    return chunks
  }
}

/** A table's Parquet file, wherever it is written (on the main thread, or on a thread of its own). */
export interface ParquetSink {
  readonly append: (arrowStream: Uint8Array, rows: number) => Effect.Effect<void>
  readonly close: Effect.Effect<FileEntry>
}

export interface TableSink {
  readonly append: (rows: EncodedRows) => Effect.Effect<void, PlatformError>
  /** Finishes the files; their entries, in the order CSV, JSONL, Arrow, Parquet. */
  readonly close: Effect.Effect<ReadonlyArray<FileEntry>, PlatformError>
}

export const openTable = (dir: string, table: TableName, metadata: Record<string, string>, parquet: ParquetSink) =>
  Effect.gen(function* () {
    const columns = TABLES[table]
    const csv = yield* openFile(dir, `${table}.csv`, true)
    const jsonl = yield* openFile(dir, `${table}.jsonl`, true)
    const arrow = yield* openFile(dir, `${table}.arrow`, false)
    yield* csv.append(csvHeader(columns))

    const empty = emptyArrowBatch(table, metadata)
    const collected = new Collected()
    const arrowWriter = new RecordBatchFileWriter()
    arrowWriter.reset(collected as unknown as AsyncByteQueue<Uint8Array>, tableFromIPC(empty).schema)
    const flushArrow = Effect.suspend(() => Effect.forEach(collected.take(), (chunk) => arrow.append(chunk), { discard: true }))
    yield* flushArrow

    return {
      append: (rows) =>
        Effect.gen(function* () {
          yield* csv.append(rows.csv, rows.rows)
          yield* jsonl.append(rows.jsonl, rows.rows)
          yield* parquet.append(rows.arrow, rows.rows)
          if (rows.rows === 0) return
          for (const batch of tableFromIPC(rows.arrow).batches) arrowWriter.write(batch)
          yield* flushArrow
        }),
      close: Effect.gen(function* () {
        arrowWriter.finish()
        yield* flushArrow
        const csvEntry = csv.entry()
        return [csvEntry, jsonl.entry(), { ...arrow.entry(), rows: csvEntry.rows }, yield* parquet.close] // the Arrow file holds the CSV's rows
      })
    } satisfies TableSink
  })
