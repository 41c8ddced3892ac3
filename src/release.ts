import { MessageChannel } from "node:worker_threads"

/**
 * Frees the memory of buffers that are done with (written and hashed) now, by moving them to a port
 * that is closed. Left to the garbage collector, the chunks the workers send (about 1 GB for
 * SaudiNewsNet) count as external memory until it runs: with this, a build's main thread ran 31 full
 * collections instead of 40 (`--trace-gc`).
 * Used on the main thread only: tried in the pool's workers (which wait on
 * atomics between tasks, their event loop idle) for the encoders' grown buffers, what was sent was not
 * freed and a build's peak RSS went from ~0.6 to 1 GB.
 */
const deadEnd = (() => {
  const { port1, port2 } = new MessageChannel()
  port2.close()
  return port1
})()
export const release = (...views: ReadonlyArray<ArrayBufferView>) => deadEnd.postMessage(null, [...new Set(views.map((view) => view.buffer as ArrayBuffer))])

// The first buffer a thread detaches makes V8 recompile every optimized function that reads a typed
// array. Every thread of the build loads this module before its work starts and detaches buffers
// (release(), the workers' transferred results), so it detaches an empty one now, before anything is optimized.
release(new Uint8Array(0))
