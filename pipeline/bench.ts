/**
 * `make bench`: in one run, on a corpus of raw files in the build's formats (default: the SaudiNewsNet
 * dev part, unpacked to a temporary folder), the floor (pipeline/floor.mjs: read, JSON.parse, NFKC and
 * write JSONL of the same records, nothing else), then the full build, and what writing and hashing its tables alone costs
 * (pipeline/write-floor.mjs); then the corpus replicated four times (each copy perturbed so it is not all
 * duplicates) to see how time and memory grow. Each run is a process of its own, measured from outside;
 * this one stays small, since a child's peak RSS counts the parent's at the fork. The floor and the build
 * run `--repeat` times, alternately, and the median runs (and the median of their peak memory) are reported: this machine's speed drifts by
 * 10–40 % from one minute to the next. Before each timed run the last one's output is deleted and the
 * page cache's dirty data written out (`sync`), so that no run pays for another's writeback.
 * The ×4 build runs as many times, and its median run is reported too: on a VM fresh from boot, the
 * first run writes gigabytes into memory the host has not backed yet (dd writing 3 GB: 34 s of system
 * time the first time, 1.3 s the next), which says nothing about the pipeline.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { parseArgs } from "node:util"
import { DEFAULT_CORPUS, random, tempDir, unpackCorpus } from "./corpus.js"
import { formatOf, rawFiles, readRecords } from "./raw-records.mjs"

const { values } = parseArgs({ options: { corpus: { type: "string" }, times: { type: "string", default: "4" }, repeat: { type: "string", default: "3" } } })

/** The bundled build that `make dataset` runs (the Makefile makes it before the bench), with its Node flags. */
const BUILD = [...(process.env.BUILD_NODE_FLAGS ?? "").split(" ").filter((flag) => flag !== ""), "dist/pipeline/build.js"]

const folderBytes = (folder: string) => rawFiles(folder).reduce((n, f) => n + statSync(join(folder, f)).size, 0)

interface CpuMs {
  readonly user: number
  readonly system: number
}

const run = (args: ReadonlyArray<string>) => {
  spawnSync("sync")
  const started = performance.now()
  const result = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 26 })
  const seconds = (performance.now() - started) / 1000
  if (result.status !== 0) {
    console.error(result.stderr)
    process.exit(1)
  }
  return { seconds, stdout: result.stdout, stderr: result.stderr }
}

/** A build of `raw` into a folder of its own, deleted once `withRelease` has seen it, not to weigh on the next runs. */
const build = <A extends object>(raw: string, withRelease: (release: string) => A) => {
  const out = tempDir("mna-bench-out-")
  const { seconds, stdout, stderr } = run([...BUILD, "--raw", raw, "--out", out, "--timings"])
  const timings = JSON.parse(/timings (\{.*\})/u.exec(stderr)![1]) as {
    readonly wall_ms: Record<string, number>
    readonly work_ms: Record<string, number>
    readonly workers: number
    readonly cpu_ms: CpuMs
    readonly peak_rss_mb: number
  }
  const documents = Number(/documents\s+(\d+)/u.exec(stdout)![1])
  const release = /built (.*)/u.exec(stdout)![1]
  const built = { seconds, timings, documents, written: folderBytes(release), ...withRelease(release) }
  rmSync(out, { recursive: true })
  return built
}

/** Nine in ten of every third word marked with the copy's number, so that the copy is new text. */
const perturb = (text: string, copy: number, rand: () => number) =>
  text.split(" ").map((w, i) => (i % 3 === copy % 3 && rand() < 0.9 ? `${w}${copy}` : w)).join(" ")

/** RFC 4180, with the first record's keys as the header. */
const toCsv = (records: ReadonlyArray<Record<string, unknown>>) => {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? "" : String(value)
    return /[",\r\n]/u.test(text) ? `"${text.replaceAll('"', '""')}"` : text
  }
  const header = Object.keys(records[0])
  return [header, ...records.map((r) => header.map((k) => r[k]))].map((row) => `${row.map(cell).join(",")}\r\n`).join("")
}

/** The file's text with its records' texts perturbed, in its own format; one the build would reject stays as it is. */
const perturbedFile = async (file: string, text: string, copy: number, rand: () => number) => {
  const format = formatOf(file)
  if (format === ".txt") return perturb(text, copy, rand)
  const records = (await readRecords(file, text)).map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, (k === "content" || k === "text") && typeof v === "string" ? perturb(v, copy, rand) : v]))
  )
  if (records.length === 0) return text
  if (format === ".json") return JSON.stringify(records)
  if (format === ".jsonl") return records.map((r) => `${JSON.stringify(r)}\n`).join("")
  return toCsv(records)
}

/** The corpus again `times` times, in folders 0/, 1/, …, every copy after the first perturbed. */
const replicate = async (folder: string, times: number) => {
  const target = tempDir("mna-bench-x-")
  const rand = random(4)
  for (const file of rawFiles(folder)) {
    const bytes = readFileSync(join(folder, file))
    for (let copy = 0; copy < times; copy++) {
      const path = join(target, String(copy), file)
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, copy === 0 ? bytes : await perturbedFile(file, bytes.toString("utf8"), copy, rand))
    }
  }
  return target
}

const corpus = values.corpus ?? (() => {
  const folder = tempDir("mna-bench-raw-")
  unpackCorpus(folder, DEFAULT_CORPUS)
  return folder
})()
if (!existsSync(corpus) || !statSync(corpus).isDirectory()) {
  console.error(`error: corpus folder not found: ${corpus}`)
  process.exit(2)
}
const megabytes = folderBytes(corpus) / 1e6

/** A build of the corpus and its write floor. */
const measuredBuild = () =>
  build(corpus, (release) => ({
    tablesAlone: JSON.parse(run(["pipeline/write-floor.mjs", release]).stdout) as { seconds: number; first_seconds: number; cpu: CpuMs; written: number }
  }))

const floorRuns: Array<ReturnType<typeof run>> = []
const builds: Array<ReturnType<typeof measuredBuild>> = []
for (let i = 0; i < Math.max(1, Number(values.repeat)); i++) {
  floorRuns.push(run(["pipeline/floor.mjs", corpus]))
  builds.push(measuredBuild())
}
/** The middle item by `by` (the lower of the two middle ones for an even count). */
const middle = <A>(items: ReadonlyArray<A>, by: (item: A) => number): A => [...items].sort((a, b) => by(a) - by(b))[(items.length - 1) >> 1]
const median = <A extends { readonly seconds: number }>(runs: ReadonlyArray<A>): A => middle(runs, (run) => run.seconds)
const floorRun = median(floorRuns)
const floor = JSON.parse(floorRun.stdout) as { records: number; written_bytes: number; cpu_ms: CpuMs; peak_rss_mb: number }
const full = median(builds)
const tablesAlone = median(builds.map((b) => b.tablesAlone))
const times = Number(values.times)
const bigger = await replicate(corpus, times)
const bigBuilds = Array.from({ length: builds.length }, () => build(bigger, () => ({})))
const big = median(bigBuilds)
/** A build's peak memory varies from run to run with when the workers' collections fall (619–700 MB seen for the dev build): the median of the runs' peaks. */
const peaks = (runs: ReadonlyArray<{ readonly timings: { readonly peak_rss_mb: number } }>) => runs.map((r) => r.timings.peak_rss_mb)
const buildPeak = middle(peaks(builds), (mb) => mb)
const bigPeak = middle(peaks(bigBuilds), (mb) => mb)
const biggerMegabytes = folderBytes(bigger) / 1e6

/**
 * Wall time, throughput, peak memory; CPU time of all the run's threads (how many cores that kept busy,
 * and how much of it the kernel's: on this VM, writing into pages the host must back first) and what it wrote.
 */
const line = (name: string, seconds: number, mb: number, docs: number, rss: number, cpu: CpuMs, written: number) => {
  const cpuSeconds = (cpu.user + cpu.system) / 1000
  return (
    `${name.padEnd(10)} ${seconds.toFixed(1).padStart(6)} s ${(mb / seconds).toFixed(2).padStart(7)} MB/s ${String(Math.round(docs / seconds)).padStart(6)} docs/s ${String(rss).padStart(5)} MB peak RSS` +
    `   CPU ${cpuSeconds.toFixed(1).padStart(5)} s (${(cpuSeconds / seconds).toFixed(2)} cores, ${(cpu.system / 1000).toFixed(1)} s system)   wrote ${String(Math.round(written / 1e6)).padStart(5)} MB`
  )
}

console.log(`corpus: ${corpus} (${megabytes.toFixed(1)} MB, ${floor.records} records)\n`)
console.log(line("floor", floorRun.seconds, megabytes, floor.records, floor.peak_rss_mb, floor.cpu_ms, floor.written_bytes))
console.log(line("build", full.seconds, megabytes, floor.records, buildPeak, full.timings.cpu_ms, full.written))
const listed = (runs: ReadonlyArray<{ readonly seconds: number }>) => runs.map((r) => r.seconds.toFixed(1)).join(", ")
console.log(
  `(median runs of ${builds.length}, alternated: floor ${listed(floorRuns)} s; build ${listed(builds)} s, peak ${peaks(builds).join(", ")} MB; write floor ${listed(builds.map((b) => b.tablesAlone))} s)`
)
console.log(`\nbuild/floor: ${(full.seconds / floorRun.seconds).toFixed(2)}   (${full.documents} documents kept)`)
const writeCpu = (tablesAlone.cpu.user + tablesAlone.cpu.system) / 1000
console.log(
  `writing and hashing the build's ${Math.round(tablesAlone.written / 1e6)} MB of tables alone, from memory: ${tablesAlone.seconds.toFixed(1)} s (CPU ${writeCpu.toFixed(1)} s), ${(tablesAlone.seconds / floorRun.seconds).toFixed(2)} floors (written once before, in ${tablesAlone.first_seconds.toFixed(1)} s)`
)
const seconds = (times: Record<string, number>) => Object.entries(times).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}`).join(", ")
console.log(`wall time per pass (s), ${full.timings.workers} workers: ${seconds(full.timings.wall_ms)}`)
console.log(`time per stage (s, summed over threads): ${seconds(full.timings.work_ms)}`)
console.log(`\n×${times} input (${biggerMegabytes.toFixed(1)} MB, ${big.documents} documents kept):`)
console.log(line(`build ×${times}`, big.seconds, biggerMegabytes, floor.records * times, bigPeak, big.timings.cpu_ms, big.written))
console.log(`(median run of ${bigBuilds.length}: ${listed(bigBuilds)} s, peak ${peaks(bigBuilds).join(", ")} MB)`)
const grew = (of: (cpu: CpuMs) => number) => (of(big.timings.cpu_ms) / of(full.timings.cpu_ms)).toFixed(2)
console.log(
  `time ×${(big.seconds / full.seconds).toFixed(2)} (user CPU ×${grew((cpu) => cpu.user)}, system CPU ×${grew((cpu) => cpu.system)}), peak memory ×${(bigPeak / buildPeak).toFixed(2)} (median peaks)`
)
