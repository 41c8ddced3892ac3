import { afterAll, describe, expect, it } from "vitest"
import fc from "fast-check"
import { buildSync } from "esbuild"
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
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
  const written = await file.close()
  expect(await file.close()).toBe(written) // a second close is the first one's promise
  return written
}

describe("direct file", () => {
  for (const direct of [true, false]) {
    it(`holds exactly the bytes appended, in order (${direct ? "past the page cache" : "ordinary writes"})`, async () => {
      await fc.assert(
        fc.asyncProperty(chunks, async (parts) => {
          const path = join(dir, `f-${direct}`)
          const written = await writeAll(path, parts, direct)
          expect(statSync(path).size).toBe(parts.reduce((n, p) => n + p.length, 0))
          expect(Buffer.compare(readFileSync(path), Buffer.concat(parts))).toBe(0)
          expect(written).toEqual({ bytes: statSync(path).size, sha256: createHash("sha256").update(readFileSync(path)).digest("hex") })
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

  it("writes the ordinary way where the process may not reserve aligned memory (a low `ulimit -v`)", () => {
    // In a child process, since the limit is the process's: 40 GB of address space lets V8 reserve memory for three files of twelve.
    const script = join(dir, "limited.mjs")
    const { outputFiles } = buildSync({ entryPoints: ["src/direct-file.ts"], bundle: true, platform: "node", format: "esm", write: false })
    const limited = `
      const paths = Array.from({ length: 12 }, (_, i) => ${JSON.stringify(dir)} + "/limited-" + i)
      const files = []
      for (const path of paths) files.push(await openDirectFile(path)) // all open at once, as in a build
      for (const [i, file] of files.entries()) await file.append(new Uint8Array(${MB + 5}).fill(i))
      for (const file of files) await file.close()
      console.log(JSON.stringify(paths.map((path, i) => readFileSync(path).filter((b) => b === i).length)))`
    writeFileSync(script, [`import { readFileSync } from "node:fs"`, outputFiles[0].text, limited].join("\n"))
    const output = execFileSync("sh", ["-c", `ulimit -v 40000000 && "${process.execPath}" "${script}"`], { encoding: "utf8" })
    expect(JSON.parse(output)).toEqual(Array(12).fill(MB + 5))
  })

  it("fails with the system's error where the file cannot be made", async () => {
    await expect(openDirectFile(join(dir, "missing", "f"))).rejects.toMatchObject({ code: "ENOENT" })
  })
})

afterAll(() => rmSync(dir, { recursive: true }))
