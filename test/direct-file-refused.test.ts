import { afterAll, expect, it, vi } from "vitest"
import { constants, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** Handles opened with O_DIRECT refuse every write, as some file systems do after accepting the open. */
const refusedWrites = vi.hoisted(() => ({ count: 0 }))
vi.mock("node:fs/promises", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs/promises")>()
  const open: typeof fs.open = async (path, flags, mode) => {
    const handle = await fs.open(path, flags, mode)
    if (typeof flags !== "number" || (flags & constants.O_DIRECT) === 0) return handle
    return new Proxy(handle, {
      get: (target, key) =>
        key === "write"
          ? async () => {
              refusedWrites.count++
              throw Object.assign(new Error("EINVAL: invalid argument, write"), { code: "EINVAL", syscall: "write" })
            }
          : Reflect.get(target, key, target)
    })
  }
  return { ...fs, open }
})

const { openDirectFile } = await import("../src/direct-file.js")
const dir = mkdtempSync(join(tmpdir(), "mna-refused-"))

it.skipIf(constants.O_DIRECT === undefined)("goes on with ordinary writes where the first direct write is refused", async () => {
  const parts = [new Uint8Array(1500).fill(1), new Uint8Array((1 << 20) * 2 + 7).fill(2), Uint8Array.of(3, 4)]
  const path = join(dir, "f")
  const file = await openDirectFile(path)
  for (const part of parts) await file.append(part)
  await file.close()
  expect(refusedWrites.count).toBe(1)
  expect(Buffer.compare(readFileSync(path), Buffer.concat(parts))).toBe(0)
})

afterAll(() => rmSync(dir, { recursive: true }))
