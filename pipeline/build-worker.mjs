// Entry of the build's worker threads, which run build-worker. The main thread's tsx loader hooks do not
// reach workers, so the .ts is loaded through tsx's API; a compiled build (make profile) has the .js.
// Results go back with their typed arrays' buffers transferred, not copied.
import { existsSync } from "node:fs"
import { Piscina } from "piscina"

const compiled = new URL("./build-worker.js", import.meta.url)
const worker = existsSync(compiled) ? await import(compiled.href) : await (await import("tsx/esm/api")).tsImport("./build-worker.ts", import.meta.url)

const buffersIn = (value, buffers = new Set(), depth = 0) => {
  if (ArrayBuffer.isView(value)) buffers.add(value.buffer)
  else if (value !== null && typeof value === "object" && depth < 4) for (const inner of Object.values(value)) buffersIn(inner, buffers, depth + 1)
  return buffers
}

const moving = (task) => (input) => {
  const result = task(input)
  return Piscina.move({ [Piscina.transferableSymbol]: [...buffersIn(result)], [Piscina.valueSymbol]: result })
}

export const analyzeFile = moving(worker.analyzeFile)
export const annotateChunk = moving(worker.annotateChunk)
