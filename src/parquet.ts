/**
 * Parquet files made from the finished Arrow files, one table per task: batches are read from the
 * Arrow file one at a time and handed to parquet-wasm's streaming writer, so memory holds a row
 * group, not a table. Plain Node I/O: this runs in a worker thread.
 */
import { RecordBatchReader, Table, tableToIPC } from "apache-arrow"
import { createHash } from "node:crypto"
import { open } from "node:fs/promises"
import { emptyArrowBatch, type FileEntry, type TableName } from "./write.js"

/** Row groups are bounded in bytes so the writer flushes as it goes. */
const ROW_GROUP_BYTES = 8 << 20

export const arrowToParquet = async (table: TableName, arrowPath: string, parquetPath: string): Promise<FileEntry> => {
  const parquet = await import("parquet-wasm")
  const input = await open(arrowPath)
  const output = await open(parquetPath, "w")
  try {
    const reader = await RecordBatchReader.from(input)
    await reader.open()
    let rows = 0
    const toWasm = (ipc: Uint8Array) => {
      const wasmTable = parquet.Table.fromIPCStream(ipc)
      const batches = wasmTable.recordBatches()
      wasmTable.free()
      return batches
    }
    async function* batches() {
      yield* toWasm(emptyArrowBatch(table, Object.fromEntries(reader.schema.metadata))) // the schema, for a table without rows
      for await (const batch of reader) {
        rows += batch.numRows
        yield* toWasm(tableToIPC(new Table(batch), "stream"))
      }
    }
    const properties = new parquet.WriterPropertiesBuilder()
      .setCompression(parquet.Compression.SNAPPY)
      .setMaxRowGroupBytes(ROW_GROUP_BYTES)
      .setCreatedBy("mosul-news-ar")
      .build()
    // A stream that pulls one batch at a time (parquet-wasm does not take ReadableStream.from's streams).
    const source = batches()
    const pulled = new ReadableStream<unknown>({
      pull: async (controller) => {
        const next = await source.next()
        if (next.done) controller.close()
        else controller.enqueue(next.value)
      }
    })
    const bytesOut = await parquet.transformParquetStream(pulled, properties)
    const hash = createHash("sha256")
    let bytes = 0
    for await (const chunk of bytesOut as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk)
      bytes += chunk.length
      await output.write(chunk)
    }
    return { name: `${table}.parquet`, rows, bytes, sha256: hash.digest("hex") }
  } finally {
    await input.close()
    await output.close()
  }
}
