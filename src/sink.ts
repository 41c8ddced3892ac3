/**
 * Release files written as they grow, so no table is ever whole in memory. Every byte is hashed on
 * its way to disk (direct-file.ts), so the manifest's checksums need no second read. A table's files take its rows
 * chunk by chunk: CSV and JSONL appended, Arrow record batch messages into an Arrow file, Parquet row
 * groups into a Parquet file (parquet.ts). The bytes go to disk past the page cache where the system
 * allows it (direct-file.ts).
 */
import { SystemError, type PlatformError } from "@effect/platform/Error"
import { MetadataVersion, type Schema } from "apache-arrow"
import { MAGIC } from "apache-arrow/ipc/message"
import { FileBlock, Footer } from "apache-arrow/ipc/metadata/file"
import { Effect } from "effect"
import { openDirectFile } from "./direct-file.js"
import { ParquetFile } from "./parquet.js"
import { release } from "./release.js"
import { TABLES, arrowSchema, csvHeader, type EncodedRows, type FileEntry, type TableName } from "./write.js"

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
 * An Arrow IPC file made of record batch messages as they come (write.ts's `arrowBatch`), as
 * apache-arrow's RecordBatchFileWriter makes it: magic, the batches, end-of-stream, a footer with the
 * schema and the batches' blocks, magic.
 */
export class ArrowFile {
  private readonly blocks: Array<FileBlock> = []
  private position = MAGIC.length + 2
  constructor(private readonly schema: Schema) {}

  head(): Uint8Array {
    return Uint8Array.from([...MAGIC, 0, 0])
  }

  /** A batch's message, to append; where it goes is kept for the footer. */
  batch(message: Uint8Array): Uint8Array {
    const metadataLength = new DataView(message.buffer, message.byteOffset, message.byteLength).getInt32(4, true)
    this.blocks.push(new FileBlock(8 + metadataLength, message.length - 8 - metadataLength, this.position))
    this.position += message.length
    return message
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

    const fileMetadata = { ...metadata, table }
    const arrowFile = new ArrowFile(arrowSchema(columns, fileMetadata))
    yield* arrow.append(arrowFile.head())
    const parquetFile = new ParquetFile(columns, fileMetadata)
    yield* parquet.append(parquetFile.head())

    return {
      append: (rows) =>
        Effect.gen(function* () {
          yield* csv.append(rows.csv, rows.rows)
          yield* jsonl.append(rows.jsonl, rows.rows)
          if (rows.rows > 0) yield* arrow.append(arrowFile.batch(rows.arrow))
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
