/**
 * A table's Parquet file, written while the build runs: each chunk's Arrow record batch goes to
 * parquet-wasm's streaming writer as it arrives, and the bytes it gives back are written (and
 * hashed) as they come. Memory holds a row group, not a table. Plain Node: the build runs it on a
 * thread of its own, so the main thread is left to the other files.
 */
import { openDirectFile } from "./direct-file.js"
import { release } from "./release.js"
import { emptyArrowBatch, type FileEntry, type TableName } from "./write.js"

/** Row groups are bounded in bytes so the writer flushes as it goes. */
const ROW_GROUP_BYTES = 8 << 20
/**
 * Columns whose values are (nearly) all different: no dictionary, which only costs time before the
 * writer falls back to plain encoding, and no statistics, whose min and max of long texts no reader
 * filters on and the writer keeps in memory until the file closes (its peak grew with the corpus).
 */
const UNIQUE_COLUMNS: Record<TableName, ReadonlyArray<string>> = {
  documents: ["doc_id", "url", "title", "text"],
  sentences: ["sentence_id", "text", "text_norm"],
  mentions: ["mention_id"],
  duplicates: ["doc_id"]
}
/** Batches that may wait for the writer: `append` waits while more do, so memory stays flat however long the table. */
const BACKLOG = 4

export interface ParquetWriter {
  /** Takes a record batch in the Arrow IPC stream format; resolves once the writer has caught up. */
  readonly append: (arrowStream: Uint8Array, rows: number) => Promise<void>
  readonly close: () => Promise<FileEntry>
}

export const openParquet = async (dir: string, table: TableName, metadata: Record<string, string>): Promise<ParquetWriter> => {
  const parquet = await import("parquet-wasm")
  const name = `${table}.parquet`
  const file = await openDirectFile(`${dir}/${name}`)
  let batches!: ReadableStreamDefaultController<unknown>
  const input = new ReadableStream<unknown>({ start: (controller) => void (batches = controller) })
  const enqueue = (arrowStream: Uint8Array) => {
    const wasmTable = parquet.Table.fromIPCStream(arrowStream)
    release(arrowStream) // copied into the writer's memory
    for (const batch of wasmTable.recordBatches()) batches.enqueue(batch)
    wasmTable.free()
  }
  enqueue(emptyArrowBatch(table, metadata)) // the schema, for a table without rows
  const properties = UNIQUE_COLUMNS[table]
    .reduce(
      (builder, column) => builder.setColumnDictionaryEnabled(column, false).setColumnStatisticsEnabled(column, parquet.EnabledStatistics.None),
      new parquet.WriterPropertiesBuilder()
    )
    .setCompression(parquet.Compression.SNAPPY)
    .setMaxRowGroupBytes(ROW_GROUP_BYTES)
    .setCreatedBy("mosul-news-ar")
    .build()
  const output = (await parquet.transformParquetStream(input, properties)) as unknown as AsyncIterable<Uint8Array>
  let rows = 0
  const written = (async () => {
    for await (const chunk of output) await file.append(chunk)
  })()
  written.catch(() => {}) // awaited in close; a failure before then must not end the process first
  return {
    append: async (arrowStream, n) => {
      rows += n
      if (n > 0) enqueue(arrowStream)
      while ((batches.desiredSize ?? 0) < -BACKLOG) await new Promise((resolve) => setImmediate(resolve))
    },
    close: async () => {
      batches.close()
      try {
        await written
      } catch (error) {
        await file.close()
        throw error
      }
      return { name, rows, ...(await file.close()) }
    }
  }
}
