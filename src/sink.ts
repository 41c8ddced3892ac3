/**
 * Release files written as they grow, so no table is ever whole in memory. Every byte is hashed on
 * its way to disk (direct-file.ts), so the manifest's checksums need no second read. A table's files take its rows
 * chunk by chunk: CSV and JSONL appended, Arrow record batches copied into an Arrow file, Parquet row
 * groups into a Parquet file (parquet.ts). The bytes go to disk past the page cache where the system
 * allows it (direct-file.ts).
 */
import { SystemError, type PlatformError } from "@effect/platform/Error"
import { MessageHeader, MetadataVersion, tableFromIPC, type Schema } from "apache-arrow"
import { MAGIC } from "apache-arrow/ipc/message"
import { FileBlock, Footer } from "apache-arrow/ipc/metadata/file"
import { Message } from "apache-arrow/ipc/metadata/message"
import { Effect } from "effect"
import { openDirectFile } from "./direct-file.js"
import { ParquetFile } from "./parquet.js"
import { release } from "./release.js"
import { TABLES, csvHeader, emptyArrowBatch, type EncodedRows, type FileEntry, type TableName } from "./write.js"

export interface FileSink {
  readonly append: (bytes: Uint8Array, rows?: number) => Effect.Effect<void, PlatformError>
  /** Writes what is left and closes the file; its name, rows (when the file has rows), bytes and SHA-256. Once, at the end. */
  readonly close: Effect.Effect<FileEntry, PlatformError>
}

const REASONS: Record<string, SystemError["reason"]> = { ENOENT: "NotFound", EACCES: "PermissionDenied", EPERM: "PermissionDenied", EEXIST: "AlreadyExists" }

const onFile = <A>(method: string, path: string, run: () => Promise<A>) =>
  Effect.tryPromise({
    try: run,
    catch: (error) => {
      const { code, syscall, message } = error as NodeJS.ErrnoException
      return new SystemError({ reason: REASONS[code ?? ""] ?? "Unknown", module: "FileSystem", method, pathOrDescriptor: path, syscall, description: message, cause: error })
    }
  })

/** A file of the release, opened for writing in the current scope (which closes it, if `close` was not reached). */
export const openFile = (dir: string, name: string, hasRows: boolean) =>
  Effect.gen(function* () {
    const path = `${dir}/${name}`
    const file = yield* Effect.acquireRelease(onFile("open", path, () => openDirectFile(path)), (file) => Effect.promise(() => file.close().catch(() => {})))
    let rows = 0
    return {
      append: (chunk, n = 0) =>
        Effect.suspend(() => {
          rows += n
          return onFile("write", path, () => file.append(chunk))
        }),
      close: Effect.map(onFile("close", path, file.close), (written) => ({ name, rows: hasRows ? rows : null, ...written }))
    } satisfies FileSink
  })

/**
 * An Arrow IPC file made from record batches in the stream format, as apache-arrow's
 * RecordBatchFileWriter makes it (magic, batch messages, end-of-stream, footer with the schema and
 * the batches' blocks, magic), but with each batch message copied as it is rather than decoded and
 * encoded again.
 */
class ArrowFile {
  private readonly blocks: Array<FileBlock> = []
  private position = MAGIC.length + 2
  constructor(private readonly schema: Schema) {}

  head(): Uint8Array {
    return Uint8Array.from([...MAGIC, 0, 0])
  }

  /** The record batch messages of a stream (its schema message left out), to append. */
  batches(stream: Uint8Array): Uint8Array {
    const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength)
    const parts: Array<Uint8Array> = []
    for (let at = 0; at + 8 <= stream.length && view.getInt32(at + 4, true) > 0; ) {
      const metadataLength = view.getInt32(at + 4, true)
      const message = Message.decode(stream.subarray(at + 8, at + 8 + metadataLength))
      const size = 8 + metadataLength + message.bodyLength
      if (message.headerType === MessageHeader.RecordBatch) {
        this.blocks.push(new FileBlock(8 + metadataLength, message.bodyLength, this.position))
        parts.push(stream.subarray(at, at + size))
        this.position += size
      }
      at += size
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts)
  }

  tail(): Uint8Array {
    const footer = Footer.encode(new Footer(this.schema, MetadataVersion.V5, this.blocks, []))
    const length = new Uint8Array(4)
    new DataView(length.buffer).setInt32(0, footer.length, true)
    return Buffer.concat([Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0), footer, length, MAGIC])
  }
}

export interface TableSink {
  readonly append: (rows: EncodedRows) => Effect.Effect<void, PlatformError>
  /** Finishes the files; their entries, in the order CSV, JSONL, Arrow, Parquet. */
  readonly close: Effect.Effect<ReadonlyArray<FileEntry>, PlatformError>
}

export const openTable = (dir: string, table: TableName, metadata: Record<string, string>) =>
  Effect.gen(function* () {
    const columns = TABLES[table]
    const csv = yield* openFile(dir, `${table}.csv`, true)
    const jsonl = yield* openFile(dir, `${table}.jsonl`, true)
    const arrow = yield* openFile(dir, `${table}.arrow`, false)
    const parquet = yield* openFile(dir, `${table}.parquet`, true)
    yield* csv.append(csvHeader(columns))

    const arrowFile = new ArrowFile(tableFromIPC(emptyArrowBatch(table, metadata)).schema)
    yield* arrow.append(arrowFile.head())
    const parquetFile = new ParquetFile(columns, { ...metadata, table })
    yield* parquet.append(parquetFile.head())

    return {
      append: (rows) =>
        Effect.gen(function* () {
          yield* csv.append(rows.csv, rows.rows)
          yield* jsonl.append(rows.jsonl, rows.rows)
          if (rows.rows > 0) yield* arrow.append(arrowFile.batches(rows.arrow))
          if (rows.parquet !== null) yield* parquet.append(parquetFile.rowGroup(rows.parquet), rows.rows)
          release(rows.csv, rows.jsonl, rows.arrow, ...(rows.parquet === null ? [] : [rows.parquet.bytes]))
        }),
      close: Effect.gen(function* () {
        yield* arrow.append(arrowFile.tail())
        yield* parquet.append(parquetFile.tail())
        const [csvEntry, jsonlEntry, arrowEntry, parquetEntry] = yield* Effect.all([csv.close, jsonl.close, arrow.close, parquet.close])
        return [csvEntry, jsonlEntry, { ...arrowEntry, rows: csvEntry.rows }, parquetEntry] // the Arrow file holds the CSV's rows
      })
    } satisfies TableSink
  })
