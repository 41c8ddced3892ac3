// Entry of the build's worker threads. The main thread's tsx loader hooks do not reach workers, so
// build-worker.ts is loaded through tsx's API; a compiled build (make profile) has build-worker.js.
import { existsSync } from "node:fs"

const compiled = new URL("./build-worker.js", import.meta.url)
const worker = existsSync(compiled) ? await import(compiled.href) : await (await import("tsx/esm/api")).tsImport("./build-worker.ts", import.meta.url)
export const analyzeFile = worker.analyzeFile
export const annotateChunk = worker.annotateChunk
export const writeParquet = worker.writeParquet
