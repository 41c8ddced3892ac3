// The write floor of `make bench`: what writing and hashing a build's tables costs alone, their bytes
// already in memory (8 MB at a time, SHA-256 on the way, as the build does). Plain JavaScript, in a
// process of its own so the bench's stays small. Written twice, to a folder deleted in between: on a VM
// the first pass may also pay for memory the host has not backed yet (here up to ~12 ms per MB of page
// cache), the second is the writing. Usage: node pipeline/write-floor.mjs <version folder>
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const release = process.argv[2]
const tables = readdirSync(release)
  .filter((f) => /\.(csv|jsonl|arrow|parquet)$/u.test(f))
  .map((f) => [f, readFileSync(join(release, f))])

const writeAll = () => {
  const target = mkdtempSync(join(tmpdir(), "mna-bench-write-"))
  const cpu = process.cpuUsage()
  const started = performance.now()
  let written = 0
  for (const [name, bytes] of tables) {
    written += bytes.length
    const fd = openSync(join(target, name), "w")
    const hash = createHash("sha256")
    for (let at = 0; at < bytes.length; at += 8 << 20) {
      hash.update(bytes.subarray(at, at + (8 << 20)))
      writeSync(fd, bytes, at, Math.min(8 << 20, bytes.length - at))
    }
    closeSync(fd)
    hash.digest()
  }
  const seconds = (performance.now() - started) / 1000
  const { user, system } = process.cpuUsage(cpu)
  rmSync(target, { recursive: true })
  return { seconds, cpu: { user: user / 1000, system: system / 1000 }, written }
}

const first = writeAll()
spawnSync("sync") // the second pass starts with nothing of the first still on its way to disk
console.log(JSON.stringify({ ...writeAll(), first_seconds: first.seconds }))
