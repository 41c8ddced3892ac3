import { describe, expect, it } from "vitest"
import { release } from "../src/release.js"

describe("release", () => {
  it("frees the buffers behind the views it is given at once (they are detached), a buffer shared by two views once", () => {
    const bytes = new Uint8Array(1 << 20)
    const words = new Float64Array(bytes.buffer, 0, 16)
    const other = new Int32Array(1024)
    release(bytes, words, other)
    expect([bytes.buffer.byteLength, other.buffer.byteLength, bytes.length, other.length]).toEqual([0, 0, 0, 0])
  })
})
