import { afterAll, describe, expect, it } from "vitest"
import fc from "fast-check"
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { openDirectFile } from "../src/direct-file.js"

const MB = 1 << 20
const dir = mkdtempSync(join(tmpdir(), "mna-direct-"))

/** Chunks from empty to a few buffers long, so that appends cross the 1 MB buffers at every kind of place. */
const chunks = fc.array(
  fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: MB - 3, max: MB + 3 }), fc.integer({ min: 0, max: 3 * MB })).map((n) => {
    const bytes = new Uint8Array(n)
    for (let i = 0; i < n; i++) bytes[i] = (i * 31 + n) & 0xff
    return bytes
  }),
  { maxLength: 6 }
)

const writeAll = async (path: string, parts: ReadonlyArray<Uint8Array>, direct: boolean) => {
  const file = await openDirectFile(path, { direct })
  for (const part of parts) await file.append(part)
  await file.close()
  await file.close() // a second close is the first one's promise
}

describe("direct file", () => {
  for (const direct of [true, false]) {
    it(`holds exactly the bytes appended, in order (${direct ? "past the page cache" : "ordinary writes"})`, async () => {
      await fc.assert(
        fc.asyncProperty(chunks, async (parts) => {
          const path = join(dir, `f-${direct}`)
          await writeAll(path, parts, direct)
          expect(statSync(path).size).toBe(parts.reduce((n, p) => n + p.length, 0))
          expect(Buffer.compare(readFileSync(path), Buffer.concat(parts))).toBe(0)
        }),
        { numRuns: 25 }
      )
    })
  }

  it("empties a file that was there", async () => {
    const path = join(dir, "again")
    await writeAll(path, [new Uint8Array(3 * MB).fill(7)], true)
    await writeAll(path, [Uint8Array.of(1, 2, 3)], true)
    expect([...readFileSync(path)]).toEqual([1, 2, 3])
  })

  it("fails with the system's error where the file cannot be made", async () => {
    await expect(openDirectFile(join(dir, "missing", "f"))).rejects.toMatchObject({ code: "ENOENT" })
  })
})

afterAll(() => rmSync(dir, { recursive: true }))
