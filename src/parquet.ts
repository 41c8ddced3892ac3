/**
 * A table's Parquet file, written while the build runs: each chunk's Arrow record batch goes to
 * parquet-wasm's streaming writer as it arrives, and the bytes it gives back are hashed and written
 * as they come. Memory holds a row group, not a table.
 */
import { Effect, Fiber, Stream } from "effect"
import type { PlatformError } from "@effect/platform/Error"
import type { FileSink } from "./sink.js"
import { emptyArrowBatch, type FileEntry, type TableName } from "./write.js"

/** Row groups are bounded in bytes so the writer flushes as it goes. */
const ROW_GROUP_BYTES = 8 << 20

export interface ParquetSink {
  /** Takes a record batch in the Arrow IPC stream format. */
  readonly append: (arrowStream: Uint8Array, rows: number) => Effect.Effect<void, PlatformError>
  readonly close: Effect.Effect<FileEntry, PlatformError>
}

/** Writes into `file`, which must have been opened with rows; the writer's work ends with the scope. */
export const openParquet = (file: FileSink, table: TableName, metadata: Record<string, string>) =>
  Effect.gen(function* () {
    const parquet = yield* Effect.promise(() => import("parquet-wasm"))
    let batches!: ReadableStreamDefaultController<unknown>
    const input = new ReadableStream<unknown>({ start: (controller) => void (batches = controller) })
    const enqueue = (arrowStream: Uint8Array) => {
      const wasmTable = parquet.Table.fromIPCStream(arrowStream)
      for (const batch of wasmTable.recordBatches()) batches.enqueue(batch)
      wasmTable.free()
    }
    enqueue(emptyArrowBatch(table, metadata)) // the schema, for a table without rows
    const properties = new parquet.WriterPropertiesBuilder()
      .setCompression(parquet.Compression.SNAPPY)
      .setMaxRowGroupBytes(ROW_GROUP_BYTES)
      .setCreatedBy("mosul-news-ar")
      .build()
    const output = (yield* Effect.promise(() => parquet.transformParquetStream(input, properties))) as unknown as ReadableStream<Uint8Array>
    const written = yield* Stream.fromReadableStream(() => output, (error) => error).pipe(
      Stream.orDie,
      Stream.runForEach((chunk) => file.append(chunk)),
      Effect.forkScoped
    )
    return {
      append: (arrowStream, rows) =>
        Effect.sync(() => {
          if (rows > 0) enqueue(arrowStream)
        }).pipe(Effect.zipRight(file.append(new Uint8Array(0), rows))),
      close: Effect.gen(function* () {
        batches.close()
        yield* Fiber.join(written)
        return file.entry()
      })
    } satisfies ParquetSink
  })
