// Entry of the build's worker threads: loads build-worker.ts through tsx, as the main thread's
// loader hooks do not reach workers.
import { tsImport } from "tsx/esm/api"

const worker = await tsImport("./build-worker.ts", import.meta.url)
export const analyzeFile = worker.analyzeFile
export const annotateChunk = worker.annotateChunk
export const writeParquet = worker.writeParquet
