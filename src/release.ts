import { MessageChannel } from "node:worker_threads"

/**
 * Frees the memory of buffers that are done with (written and hashed) now, by moving them to a port
 * that is closed. Left to the garbage collector, the chunks the workers send (about 1 GB for
 * SaudiNewsNet) made the main thread run a full collection for every 64 MB of them: 40 in a build.
 */
const deadEnd = (() => {
  const { port1, port2 } = new MessageChannel()
  port2.close()
  return port1
})()
export const release = (...views: ReadonlyArray<Uint8Array>) => deadEnd.postMessage(null, [...new Set(views.map((view) => view.buffer as ArrayBuffer))])
