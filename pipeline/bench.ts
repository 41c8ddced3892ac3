/**
 * `make bench`: in one run, on a corpus of raw files (default: the SaudiNewsNet dev part, unpacked to
 * a temporary folder), the floor (pipeline/floor.mjs: read, JSON.parse, NFKC and write JSONL of the
 * same records, nothing else), then the full build, and what writing and hashing its tables alone costs;
 * then the corpus replicated four times (each copy perturbed so it is not all duplicates) to see how
 * time and memory grow. Each build is its own process, measured from outside.
 */
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from "node:fs"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { DEFAULT_CORPUS, random, tempDir, unpackCorpus } from "./corpus.js"

const { values } = parseArgs({ options: { corpus: { type: "string" }, times: { type: "string", default: "4" } } })

/** The bundled build that `make dataset` runs (the Makefile makes it before the bench), with its Node flags. */
const BUILD = [...(process.env.BUILD_NODE_FLAGS ?? "").split(" ").filter((flag) => flag !== ""), "dist/pipeline/build.js"]

const folderBytes = (folder: string) => readdirSync(folder).reduce((n, f) => n + statSync(join(folder, f)).size, 0)

interface CpuMs {
  readonly user: number
  readonly system: number
}

const run = (args: ReadonlyArray<string>) => {
  const started = performance.now()
  const result = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 26 })
  const seconds = (performance.now() - started) / 1000
  if (result.status !== 0) {
    console.error(result.stderr)
    process.exit(1)
  }
  return { seconds, stdout: result.stdout, stderr: result.stderr }
}

const build = (raw: string) => {
  const { seconds, stdout, stderr } = run([...BUILD, "--raw", raw, "--out", tempDir("mna-bench-out-"), "--timings"])
  const timings = JSON.parse(/timings (\{.*\})/u.exec(stderr)![1]) as {
    readonly wall_ms: Record<string, number>
    readonly work_ms: Record<string, number>
    readonly workers: number
    readonly cpu_ms: CpuMs
    readonly peak_rss_mb: number
  }
  const documents = Number(/documents\s+(\d+)/u.exec(stdout)![1])
  const release = /built (.*)/u.exec(stdout)![1]
  return { seconds, timings, documents, release, written: folderBytes(release) }
}

/**
 * What writing and hashing the build's tables costs alone, with their bytes already in memory: the
 * floor of any build that writes them (8 MB at a time, SHA-256 on the way, as the build does).
 */
const writeFloor = (release: string) => {
  const tables = readdirSync(release).filter((f) => /\.(csv|jsonl|arrow|parquet)$/u.test(f)).map((f) => [f, readFileSync(join(release, f))] as const)
  const target = tempDir("mna-bench-write-")
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
  const { user, system } = process.cpuUsage(cpu)
  return { seconds: (performance.now() - started) / 1000, cpu: { user: user / 1000, system: system / 1000 }, written }
}

/** The corpus again `times` times, every copy's words perturbed (one in three replaced) so it is new text. */
const replicate = (folder: string, times: number) => {
  const target = tempDir("mna-bench-x-")
  const rand = random(4)
  for (const file of readdirSync(folder).sort()) {
    const records = JSON.parse(readFileSync(join(folder, file), "utf8")) as Array<Record<string, string>>
    for (let copy = 0; copy < times; copy++) {
      const perturbed = copy === 0 ? records : records.map((r) => ({ ...r, content: (r.content ?? "").split(" ").map((w, i) => (i % 3 === copy % 3 && rand() < 0.9 ? `${w}${copy}` : w)).join(" ") }))
      writeFileSync(join(target, `${copy}-${file}`), JSON.stringify(perturbed))
    }
  }
  return target
}

const corpus = values.corpus ?? (() => {
  const folder = tempDir("mna-bench-raw-")
  unpackCorpus(folder, DEFAULT_CORPUS)
  return folder
})()
const megabytes = folderBytes(corpus) / 1e6

const floorRun = run(["pipeline/floor.mjs", corpus])
const floor = JSON.parse(floorRun.stdout) as { records: number; written_bytes: number; cpu_ms: CpuMs; peak_rss_mb: number }
const full = build(corpus)
const tablesAlone = writeFloor(full.release)
const times = Number(values.times)
const bigger = replicate(corpus, times)
const big = build(bigger)

/** Wall time, throughput, peak memory; CPU time of all the run's threads (and how many cores that kept busy) and what it wrote. */
const line = (name: string, seconds: number, mb: number, docs: number, rss: number, cpu: CpuMs, written: number) => {
  const cpuSeconds = (cpu.user + cpu.system) / 1000
  return (
    `${name.padEnd(10)} ${seconds.toFixed(1).padStart(6)} s ${(mb / seconds).toFixed(2).padStart(7)} MB/s ${String(Math.round(docs / seconds)).padStart(6)} docs/s ${String(rss).padStart(5)} MB peak RSS` +
    `   CPU ${cpuSeconds.toFixed(1).padStart(5)} s (${(cpuSeconds / seconds).toFixed(2)} cores)   wrote ${String(Math.round(written / 1e6)).padStart(5)} MB`
  )
}

console.log(`corpus: ${corpus} (${megabytes.toFixed(1)} MB, ${floor.records} records)\n`)
console.log(line("floor", floorRun.seconds, megabytes, floor.records, floor.peak_rss_mb, floor.cpu_ms, floor.written_bytes))
console.log(line("build", full.seconds, megabytes, floor.records, full.timings.peak_rss_mb, full.timings.cpu_ms, full.written))
console.log(`\nbuild/floor: ${(full.seconds / floorRun.seconds).toFixed(2)}   (${full.documents} documents kept)`)
const writeCpu = (tablesAlone.cpu.user + tablesAlone.cpu.system) / 1000
console.log(
  `writing and hashing the build's ${Math.round(tablesAlone.written / 1e6)} MB of tables alone, from memory: ${tablesAlone.seconds.toFixed(1)} s (CPU ${writeCpu.toFixed(1)} s), ${(tablesAlone.seconds / floorRun.seconds).toFixed(2)} floors`
)
const seconds = (times: Record<string, number>) => Object.entries(times).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}`).join(", ")
console.log(`wall time per pass (s), ${full.timings.workers} workers: ${seconds(full.timings.wall_ms)}`)
console.log(`time per stage (s, summed over threads): ${seconds(full.timings.work_ms)}`)
console.log(`\n×${times} input (${(folderBytes(bigger) / 1e6).toFixed(1)} MB):`)
console.log(line(`build ×${times}`, big.seconds, folderBytes(bigger) / 1e6, floor.records * times, big.timings.peak_rss_mb, big.timings.cpu_ms, big.written))
console.log(`time ×${(big.seconds / full.seconds).toFixed(2)}, peak memory ×${(big.timings.peak_rss_mb / full.timings.peak_rss_mb).toFixed(2)}`)
