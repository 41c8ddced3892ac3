/**
 * A file written past the page cache (O_DIRECT) where the system allows it, through two aligned
 * buffers: one fills while the other is written. Measured on this project's VM, whose host backs
 * the guest's free memory again only when it is touched: written through the cache, the ×4 bench
 * build's 3.9 GB cost 10–17 s of kernel time and the build took 51–56 s; written this way, 0.6 s and
 * 42–44 s. The dev corpus's build (0.9 GB) takes as long either way.
 * Where O_DIRECT is missing or refused (macOS; some file systems), the same buffers are written
 * the ordinary way. The bytes are hashed as they are copied in, for the release's checksums.
 * Plain Node.
 */
import { createHash } from "node:crypto"
import { constants } from "node:fs"
import { open, type FileHandle } from "node:fs/promises"

// Not in the lib this project compiles against, but in every Node.
declare const WebAssembly: { readonly Memory: new (descriptor: { readonly initial: number }) => { readonly buffer: ArrayBuffer } }

/** O_DIRECT needs memory, lengths and positions aligned to the disk's block: 4096 covers 512-byte and 4K disks. */
const BLOCK = 4096
const BUFFER_BYTES = 1 << 20

/**
 * Two buffers in memory that starts at a page boundary, as a WebAssembly memory does (an ArrayBuffer
 * from malloc need not); null where the process may not reserve one (V8 reserves ~10 GB of address
 * space for it, more than some `ulimit -v` allow).
 */
const alignedBuffers = (): readonly [Uint8Array, Uint8Array] | null => {
  let memory: ArrayBuffer
  try {
    memory = new WebAssembly.Memory({ initial: (2 * BUFFER_BYTES) >> 16 }).buffer
  } catch {
    return null
  }
  return [new Uint8Array(memory, 0, BUFFER_BYTES), new Uint8Array(memory, BUFFER_BYTES, BUFFER_BYTES)]
}

const isRefusal = (error: unknown) => (error as NodeJS.ErrnoException).code === "EINVAL"

/** A file's length and SHA-256, for the manifest and SHA256SUMS. */
export interface Written {
  readonly bytes: number
  readonly sha256: string
}

export interface DirectFile {
  /** Copies the bytes, hashing each piece as it is copied (while it is in the cache): the caller may reuse or release them once this resolves. */
  readonly append: (bytes: Uint8Array) => Promise<void>
  /** Writes what is left and closes the file; later calls give the same promise. */
  readonly close: () => Promise<Written>
}

const openDirect = async (path: string): Promise<FileHandle | null> => {
  if (constants.O_DIRECT === undefined) return null
  try {
    return await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_DIRECT)
  } catch (error) {
    if (isRefusal(error)) return null
    throw error
  }
}

/** Creates (or empties) the file at `path`; `direct: false` writes it the ordinary way. */
export const openDirectFile = async (path: string, { direct: tryDirect = true } = {}): Promise<DirectFile> => {
  const aligned = tryDirect ? alignedBuffers() : null
  const directly = aligned !== null ? await openDirect(path) : null
  let direct = directly !== null
  let file: FileHandle = directly ?? (await open(path, "w"))
  let [filling, spare] = aligned ?? [new Uint8Array(BUFFER_BYTES), new Uint8Array(BUFFER_BYTES)]
  let used = 0
  let written = 0 // bytes handed to writes, in order
  let pending: Promise<void> = Promise.resolve()
  const hash = createHash("sha256")

  const writeAt = async (buffer: Uint8Array, length: number, position: number) => {
    // A direct write covers whole blocks; the last one's padding is cut off when the file closes.
    const padded = direct ? Math.ceil(length / BLOCK) * BLOCK : length
    try {
      for (let at = 0; at < padded; ) at += (await file.write(buffer, at, padded - at, position + at)).bytesWritten
    } catch (error) {
      if (!direct || !isRefusal(error)) throw error
      // Refused at the first write on some file systems: on with ordinary writes, from the same place.
      direct = false
      await file.close()
      file = await open(path, "r+")
      await writeAt(buffer, length, position)
    }
  }

  const flush = async () => {
    await pending // the spare buffer is free again
    const full = filling
    ;[filling, spare] = [spare, full]
    pending = writeAt(full, used, written)
    pending.catch(() => {}) // awaited by the next flush or the close; a failure before then must not end the process first
    written += used
    used = 0
  }

  const finish = async (): Promise<Written> => {
    try {
      await flush()
      await pending
      await file.truncate(written)
    } finally {
      await file.close()
    }
    return { bytes: written, sha256: hash.digest("hex") }
  }
  let closed: Promise<Written> | undefined

  return {
    append: async (bytes) => {
      for (let at = 0; at < bytes.length; ) {
        const n = Math.min(bytes.length - at, BUFFER_BYTES - used)
        const piece = at === 0 && n === bytes.length ? bytes : bytes.subarray(at, at + n)
        filling.set(piece, used)
        hash.update(piece)
        used += n
        at += n
        if (used === BUFFER_BYTES) await flush()
      }
    },
    close: () => (closed ??= finish())
  }
}
