/**
 * The build's Parquet thread (piscina): the writers of the tables' Parquet files, fed batch by batch.
 * A module apart from build-worker.ts, so this thread does not build the passes' character tables.
 */
import { openParquet, type ParquetWriter } from "../src/parquet.js"
import type { FileEntry, TableName } from "../src/write.js"

export type ParquetTask =
  | { readonly op: "open"; readonly dir: string; readonly table: TableName; readonly metadata: Record<string, string> }
  | { readonly op: "append"; readonly dir: string; readonly table: TableName; readonly arrow: Uint8Array; readonly rows: number }
  | { readonly op: "close"; readonly dir: string; readonly table: TableName }

/** The Parquet writers of a thread that makes nothing else; their work goes on between its tasks. */
const parquetWriters = new Map<string, ParquetWriter>()

export const parquetTask = async (task: ParquetTask): Promise<FileEntry | null> => {
  const key = `${task.dir}/${task.table}`
  if (task.op === "open") {
    parquetWriters.set(key, await openParquet(task.dir, task.table, task.metadata))
    return null
  }
  const writer = parquetWriters.get(key)!
  if (task.op === "append") {
    await writer.append(task.arrow, task.rows)
    return null
  }
  parquetWriters.delete(key)
  return writer.close()
}
