/**
 * The dataset build: RAW → ingest → normalize → deduplicate → segment → tag → write
 * OUT/<dataset>/<version>/, in two passes over a worker pool (see README), through a temporary
 * folder renamed into place when complete.
 */
import { Command, Options } from "@effect/cli"
import { FileSystem, Path } from "@effect/platform"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Data, Effect, Exit, Fiber, Option, Stream } from "effect"
import { availableParallelism } from "node:os"
import { Piscina } from "piscina"
import packageJson from "../package.json" with { type: "json" }
import { datasheet, Histogram, type BuildStats } from "../src/datasheet.js"
import { DedupIndex, RepeatedSentences, sha256 } from "../src/dedup.js"
import { listFiles, type ListedFile } from "../src/raw-folder.js"
import { changelog, croissant, datasetCard, type VersionSummary } from "../src/metadata.js"
import type { AnnotatedChunk, ChunkSummary } from "../src/passes.js"
import { openFile, openTable, type FileSink, type TableSink } from "../src/sink.js"
import type { DuplicateRow } from "../src/types.js"
import { encodeRows, sha256Sums, TABLE_NAMES, type FileEntry, type TableName } from "../src/write.js"
import type { AnalyzedFile, AnalyzeTask, AnnotateTask } from "./build-worker.js"
import quality from "./quality.json" with { type: "json" }
import config from "./config.json" with { type: "json" }

export class VersionExists extends Data.TaggedError("VersionExists")<{ readonly path: string }> {
  get message() {
    return `version already built: ${this.path} (a version is never changed in place: pass --force, or make dataset FORCE=1, to replace it)`
  }
}

export class NoUsableRecords extends Data.TaggedError("NoUsableRecords")<{ readonly raw: string; readonly rejects: number }> {
  get message() {
    return `no usable article in ${this.raw} (${this.rejects} rejected: see the reasons above)`
  }
}

const LEXICON_FILES = ["lexicons/actors.json", "lexicons/places.json", "lexicons/ambiguous.json", "lexicons/patterns.json", "lexicons/boilerplate.json", "lexicons/abbreviations.json"]
/** Articles per chunk of the second pass: the unit of work of a worker, and of memory. */
const CHUNK_SIZE = 250
const PROGRESS_EVERY = 1000
const SMALL_INPUT_BYTES = 2_000_000

/**
 * For `--timings` (never written into the dataset): wall milliseconds of each pass, and milliseconds
 * of work per stage summed over all threads.
 */
const wallMs: Record<string, number> = {}
const workMs: Record<string, number> = {}
const addTimes = (times: Record<string, number>) => {
  for (const [stage, ms] of Object.entries(times)) workMs[stage] = (workMs[stage] ?? 0) + ms
}
const timed = <A, E, R>(stage: string, effect: Effect.Effect<A, E, R>, into = wallMs) =>
  Effect.suspend(() => {
    const started = performance.now()
    return Effect.ensuring(effect, Effect.sync(() => void (into[stage] = (into[stage] ?? 0) + performance.now() - started)))
  })

const increment = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by
}

const sortedKeys = (counts: Record<string, number>) => Object.fromEntries(Object.keys(counts).sort().map((k) => [k, counts[k]]))

const TOP_ENTITIES = 20

/** Schema metadata of every Arrow table. */
const RELEASE_METADATA = { dataset: config.dataset, version: config.version, pipeline_version: packageJson.version }

/** What the build counts on the way; rows themselves go straight to disk. */
class Totals {
  readonly inputFiles: Array<string> = []
  readonly rejectsByReason: Record<string, number> = {}
  readonly duplicatesByKind: Record<string, number> = {}
  readonly encodings: Record<string, number> = {}
  readonly boilerplateLines: Record<string, number> = {}
  readonly sources: Record<string, number> = {}
  readonly mentionTypes: Record<string, number> = {}
  readonly entities = new Map<string, { entity: string; label: string; mentions: number }>()
  readonly docIds: Array<string> = []
  readonly wordsPerDocument = new Histogram()
  readonly wordsPerSentence = new Histogram()
  published: readonly [string, string] | null = null
  recordsRead = 0
  repeatedSentencesRemoved = 0
  mojibakeRepaired = 0

  addChunk(summary: ChunkSummary) {
    for (const d of summary.documents) {
      this.docIds.push(d.docId)
      this.wordsPerDocument.add(d.words)
      increment(this.sources, d.source ?? "(none)")
      if (d.published !== null) {
        const [first, last] = this.published ?? [d.published, d.published]
        this.published = [d.published < first ? d.published : first, d.published > last ? d.published : last]
      }
    }
    for (const n of summary.wordsPerSentence) this.wordsPerSentence.add(n)
    this.repeatedSentencesRemoved += summary.repeatedSentencesRemoved
    for (const [type, n] of Object.entries(summary.mentionTypes)) increment(this.mentionTypes, type, n)
    for (const e of summary.entities) {
      const entry = this.entities.get(e.id) ?? { entity: e.entity, label: e.label, mentions: 0 }
      entry.mentions += e.mentions
      this.entities.set(e.id, entry)
    }
  }

  get documents() {
    return this.docIds.length
  }

  get rejects() {
    return Object.values(this.rejectsByReason).reduce((a, b) => a + b, 0)
  }

  get duplicates() {
    return Object.values(this.duplicatesByKind).reduce((a, b) => a + b, 0)
  }

  mentionsByLabel() {
    const byLabel: Record<string, number> = {}
    for (const [type, n] of Object.entries(this.mentionTypes)) increment(byLabel, type.split("/")[0], n)
    return sortedKeys(byLabel)
  }

  topEntities() {
    return [...this.entities.values()].sort((a, b) => b.mentions - a.mentions || (a.entity < b.entity ? -1 : 1)).slice(0, TOP_ENTITIES)
  }
}

type Pool = {
  readonly analyze: (task: AnalyzeTask) => Effect.Effect<AnalyzedFile>
  readonly annotate: (task: AnnotateTask) => Effect.Effect<AnnotatedChunk>
}

/** The passes on the main thread: for inputs too small to repay starting threads (about a second). */
const inProcess = Effect.promise(() => import("./build-worker.js")).pipe(
  Effect.map(
    (worker): Pool => ({
      analyze: (task) => Effect.sync(() => worker.analyzeFile(task)),
      annotate: (task) => Effect.sync(() => worker.annotateChunk(task))
    })
  )
)

/**
 * A worker's heap is limited so it is collected rather than left to grow: a worker holds one input file
 * in pass 1, so the limit grows with the largest file. A task that outgrows it (one huge article) is
 * done again on the main thread, whose heap is not limited.
 */
const workerHeapMb = (largestFileBytes: number) => Math.max(192, Math.ceil((largestFileBytes * 16) / 1e6))

const outOfMemory = (error: unknown) => (error as { code?: string } | null)?.code === "ERR_WORKER_OUT_OF_MEMORY"

/** The worker pool, destroyed with the scope; none (the main thread) for 0 threads. */
const workerPool = (threads: number, largestFileBytes: number) =>
  threads === 0
    ? inProcess
    : Effect.gen(function* () {
        const pool = yield* Effect.acquireRelease(
          Effect.sync(
            () =>
              new Piscina({
                filename: new URL("./build-worker.mjs", import.meta.url).href,
                minThreads: threads,
                maxThreads: threads,
                // Tasks start in the order they were given (by default one a busy pool could not place went to the back).
                stricterFIFO: true,
                // A worker holds its next tasks while it runs one, so it starts one at once rather than after the
                // main thread (hashing and writing the last results, on cores the workers keep busy) gets round to
                // posting it: with none held, pass 2's tasks waited 2–8 ms each.
                concurrentTasksPerWorker: 3,
                resourceLimits: { maxOldGenerationSizeMb: workerHeapMb(largestFileBytes) }
              })
          ),
          (pool) => Effect.promise(() => pool.destroy())
        )
        // The main thread loads the passes only for a task that needs it (their tables take ~0.1 s to build).
        const run = <T extends object, A>(name: string, what: string, task: T, onMainThread: (main: Pool) => Effect.Effect<A>) =>
          Effect.tryPromise(() => pool.run(task, { name }) as Promise<A>).pipe(
            Effect.catchAll(({ error }) =>
              outOfMemory(error)
                ? Console.error(`… ${what} needed more memory than a worker has: done again on the main thread`).pipe(Effect.zipRight(Effect.flatMap(inProcess, onMainThread)))
                : Effect.die(error)
            )
          )
        return {
          analyze: (task) => run("analyzeFile", task.file, task, (main) => main.analyze(task)),
          annotate: (task) => run("annotateChunk", `a chunk of articles (${task.spill})`, task, (main) => main.annotate(task))
        } satisfies Pool
      })

interface Chunk {
  readonly spill: string
  readonly keep: Uint8Array
}

/**
 * Pass 1, in the workers: every file read, normalized, segmented and spilled in chunks. Here, in
 * input order: rejects written, duplicates decided and written, sentences of kept articles counted.
 */
const firstPass = (raw: string, files: ReadonlyArray<ListedFile>, pool: Pool, tmpDir: string, totals: Totals, rejects: FileSink, duplicates: TableSink) =>
  Effect.gen(function* () {
    const dedup = new DedupIndex(config.dedup.near)
    const sentences = new RepeatedSentences()
    const signatureSize = config.dedup.near.bands * config.dedup.near.rows
    const chunks: Array<Chunk> = []
    // Files go to the pool largest first, so that no large file is left for one worker at the end while
    // the other waits; the smaller half of them in input order, as their results are taken in input order:
    // the decisions on the files after the one the workers finish last wait for it, and the workers for them.
    const analyses = new Array<Fiber.RuntimeFiber<AnalyzedFile>>(files.length)
    const bySize = files.map((_, i) => i).sort((a, b) => files[b].bytes - files[a].bytes || a - b)
    const larger = bySize.slice(0, Math.ceil(files.length / 2))
    const dispatchOrder = [...larger, ...bySize.slice(larger.length).sort((a, b) => a - b)]
    // A file's sentences are counted as soon as it is analyzed (the count does not depend on order), the
    // duplicates' taken back below: less is left for the end of the pass, while the workers wait.
    const sentencesOf = (analyzed: AnalyzedFile, record: number) => analyzed.sentenceKeys.subarray(record === 0 ? 0 : analyzed.sentenceEnds[record - 1], analyzed.sentenceEnds[record])
    const countSentences = (analyzed: AnalyzedFile) => {
      for (let record = 0; record < analyzed.records.length; record++) sentences.add(sentencesOf(analyzed, record))
    }
    for (const i of dispatchOrder) {
      const task = { raw, file: files[i].file, spill: `${tmpDir}/.spill-${i}`, near: config.dedup.near, chunkSize: CHUNK_SIZE }
      analyses[i] = yield* Effect.fork(Effect.tap(pool.analyze(task), (analyzed) => Effect.sync(() => countSentences(analyzed))))
    }
    yield* Stream.fromIterable(analyses).pipe(
      Stream.mapEffect(Fiber.join),
      Stream.runForEach((analyzed) =>
        Effect.gen(function* () {
          addTimes(analyzed.stageMs)
          totals.inputFiles.push(`${analyzed.sha256 ?? "-"}  ${analyzed.file}`)
          const keep = new Uint8Array(analyzed.records.length)
          const duplicateRows: Array<DuplicateRow> = []
          let rejectLines = ""
          for (const item of analyzed.items) {
            if (++totals.recordsRead % PROGRESS_EVERY === 0) yield* Console.error(`… ${totals.recordsRead} records read`)
            if (typeof item !== "number") {
              increment(totals.rejectsByReason, item.reason)
              rejectLines += JSON.stringify(item) + "\n"
              continue
            }
            const record = analyzed.records[item]
            increment(totals.encodings, record.encoding)
            if (record.mojibakeRepaired) totals.mojibakeRepaired++
            const signature = analyzed.signatures.subarray(item * signatureSize, (item + 1) * signatureSize)
            const started = performance.now()
            const duplicateOf = dedup.checkKey(record.docId, { exact: record.exact, signature })
            addTimes({ "deduplicate (decisions, main thread)": performance.now() - started })
            if (duplicateOf === null) {
              keep[item] = 1
              for (const kind of record.boilerplate) increment(totals.boilerplateLines, kind)
            } else {
              sentences.remove(sentencesOf(analyzed, item))
              increment(totals.duplicatesByKind, duplicateOf.kind)
              duplicateRows.push({ doc_id: record.docId, source_file: record.sourceFile, record: record.record, kept_doc_id: duplicateOf.keptDocId, kind: duplicateOf.kind, similarity: duplicateOf.similarity })
            }
          }
          yield* rejects.append(new TextEncoder().encode(rejectLines), analyzed.items.length - analyzed.records.length)
          if (duplicateRows.length > 0) yield* duplicates.append(encodeRows("duplicates", duplicateRows))
          analyzed.spills.forEach((spill, i) => chunks.push({ spill, keep: keep.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE) }))
        })
      )
    )
    const repeated = Float64Array.from(sentences.repeated(config.repeated_sentences.min_documents))
    dedup.dispose()
    sentences.dispose()
    return { chunks, repeated }
  })

/**
 * Pass 2, in the workers: each chunk's kept articles tagged and encoded. Here, in order: rows appended.
 * Chunks are taken in order, so those done after a slow one wait for it; with too few in flight the
 * workers then wait too (SaudiNewsNet, per worker: 2 held and 5 in flight, 410–480 ms idle in pass 2;
 * 3 held and 13 in flight, 210–260 ms; a ×4 build's peak RSS is the same with 5, 9 or 13 in flight).
 */
const secondPass = (chunks: ReadonlyArray<Chunk>, repeated: Float64Array, pool: Pool, threads: number, totals: Totals, tables: Record<"documents" | "sentences" | "mentions", TableSink>) =>
  Stream.fromIterable(chunks).pipe(
    Stream.mapEffect((chunk) => pool.annotate({ ...chunk, repeated }), { concurrency: 6 * threads + 1 }),
    Stream.runForEach((annotated) =>
      Effect.gen(function* () {
        addTimes(annotated.stageMs)
        const before = totals.documents
        totals.addChunk(annotated.summary)
        if (Math.floor(totals.documents / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY)) yield* Console.error(`… ${totals.documents} documents tagged and written`)
        const append = Effect.all([tables.documents.append(annotated.tables.documents), tables.sentences.append(annotated.tables.sentences), tables.mentions.append(annotated.tables.mentions)])
        yield* timed("write (main thread)", append, workMs)
      })
    )
  )

/** The release's tables and rejects, written as the passes go; the entries of the files, in release order. */
const writeTables = (raw: string, files: ReadonlyArray<ListedFile>, threads: number, dir: string, totals: Totals) =>
  Effect.scoped(
    Effect.gen(function* () {
      const pool = yield* workerPool(threads, files.reduce((n, f) => Math.max(n, f.bytes), 0))
      const sinks: ReadonlyArray<TableSink> = yield* Effect.forEach(TABLE_NAMES, (table) => openTable(dir, table, RELEASE_METADATA))
      const tables = Object.fromEntries(TABLE_NAMES.map((table, i) => [table, sinks[i]])) as Record<TableName, TableSink>
      const rejects = yield* openFile(dir, "rejects.jsonl", true)
      const { chunks, repeated } = yield* timed("pass 1", firstPass(raw, files, pool, dir, totals, rejects, tables.duplicates))
      yield* timed("pass 2", secondPass(chunks, repeated, pool, threads, totals, tables))
      const written = yield* timed("finish files", Effect.forEach(sinks, (sink) => sink.close))
      return [...written.flat(), yield* rejects.close]
    })
  )

/** Writes the files made from the counts: datasheet, card, Croissant, changelog, manifest, checksums. */
const writeMetadata = (totals: Totals, tableEntries: ReadonlyArray<FileEntry>, lexiconFingerprints: BuildStats["lexicons"], previous: VersionSummary | null, dir: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const entries = [...tableEntries]
    const put = (name: string, text: string) =>
      Effect.gen(function* () {
        const bytes = new TextEncoder().encode(text)
        yield* fs.writeFile(path.join(dir, name), bytes)
        entries.push({ name, rows: null, bytes: bytes.length, sha256: sha256(bytes) })
      })
    const stats = buildStats(totals, lexiconFingerprints)
    const sheet = datasheet(stats)
    yield* put("DATASHEET.md", sheet)
    const rows = Object.fromEntries(TABLE_NAMES.map((t) => [t, entries.find((e) => e.name === `${t}.csv`)!.rows!])) as Record<TableName, number>
    const info = { dataset: config.dataset, version: config.version, title: config.title, licence: config.licence, rows, files: entries }
    yield* put("README.md", datasetCard(info, sheet))
    yield* put("croissant.json", croissant(info))
    const counts = {
      records_read: stats.recordsRead,
      rejects: stats.rejects,
      rejects_by_reason: stats.rejectsByReason,
      duplicates: stats.duplicates,
      documents: stats.documents,
      sentences: stats.sentences,
      words: stats.words,
      mentions: stats.mentionsByLabel,
      mentions_by_type: stats.mentionsByType,
      encodings: stats.encodings,
      boilerplate_lines_removed: stats.boilerplateLines,
      repeated_sentences_removed: totals.repeatedSentencesRemoved,
      mojibake_repaired: totals.mojibakeRepaired
    }
    const current: VersionSummary = { version: config.version, pipeline_version: packageJson.version, counts, lexicons: lexiconFingerprints, docIds: totals.docIds }
    yield* put("CHANGELOG.md", changelog(current, previous))
    const manifest = {
      dataset: config.dataset,
      version: config.version,
      pipeline_version: packageJson.version,
      input: { files: totals.inputFiles.length, fingerprint: sha256(totals.inputFiles.join("\n")) },
      lexicons: lexiconFingerprints,
      counts,
      parameters: { dedup: config.dedup, repeated_sentences: config.repeated_sentences },
      accounting: {
        records_read: stats.recordsRead,
        kept_plus_duplicates_plus_rejects: stats.documents + totals.duplicates + stats.rejects,
        holds: stats.recordsRead === stats.documents + totals.duplicates + stats.rejects
      },
      files: [...entries]
    }
    yield* put("manifest.json", JSON.stringify(manifest, null, 2) + "\n")
    yield* fs.writeFile(path.join(dir, "SHA256SUMS"), sha256Sums(entries))
  })

const buildStats = (totals: Totals, lexiconFingerprints: BuildStats["lexicons"]): BuildStats => ({
  dataset: config.dataset,
  version: config.version,
  pipelineVersion: packageJson.version,
  inputFiles: totals.inputFiles.length,
  recordsRead: totals.recordsRead,
  rejects: totals.rejects,
  rejectsByReason: sortedKeys(totals.rejectsByReason),
  duplicates: sortedKeys(totals.duplicatesByKind),
  documents: totals.documents,
  sentences: totals.wordsPerSentence.count,
  words: totals.wordsPerDocument.sum,
  mentionsByLabel: totals.mentionsByLabel(),
  mentionsByType: sortedKeys(totals.mentionTypes),
  sources: sortedKeys(totals.sources),
  encodings: sortedKeys(totals.encodings),
  boilerplateLines: sortedKeys(totals.boilerplateLines),
  repeatedSentencesRemoved: totals.repeatedSentencesRemoved,
  mojibakeRepaired: totals.mojibakeRepaired,
  publishedRange: totals.published,
  wordsPerDocument: totals.wordsPerDocument.distribution(),
  wordsPerSentence: totals.wordsPerSentence.distribution(),
  topEntities: totals.topEntities(),
  quality,
  dedup: {
    exact: "equal text_norm of the body (its sentences' text_norm joined by spaces)",
    near: `One-permutation MinHash (${config.dedup.near.bands * config.dedup.near.rows} bins, densified) of word ${config.dedup.near.shingle}-gram shingles of text_norm, ${config.dedup.near.bands} bands × ${config.dedup.near.rows} rows, estimated Jaccard ≥ ${config.dedup.near.threshold}`,
    keep: config.dedup.keep,
    repeated_sentences: `a sentence in ≥ ${config.repeated_sentences.min_documents} documents of one source`
  },
  lexicons: lexiconFingerprints
})

const isProcessAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const versionOrder = (a: string, b: string) => {
  const pa = a.split(".").map(Number)
  const pb = b.split(".").map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0)
  return a < b ? -1 : a > b ? 1 : 0
}

/** The newest other version already in the output folder, for the changelog. */
const previousVersion = (datasetDir: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    if (!(yield* fs.exists(datasetDir))) return null
    const versions = (yield* fs.readDirectory(datasetDir)).filter((v) => !v.startsWith(".") && v !== config.version && /^\d+(\.\d+)*$/u.test(v))
    const older = versions.filter((v) => versionOrder(v, config.version) < 0).sort(versionOrder)
    const version = older[older.length - 1]
    if (version === undefined) return null
    const read = (file: string) => fs.readFileString(path.join(datasetDir, version, file))
    const manifest = JSON.parse(yield* read("manifest.json"))
    const docIds = (yield* read("documents.jsonl")).split("\n").filter((l) => l !== "").map((l) => JSON.parse(l).doc_id as string)
    return { version, pipeline_version: manifest.pipeline_version, counts: manifest.counts, lexicons: manifest.lexicons, docIds } satisfies VersionSummary
  }).pipe(Effect.orElseSucceed(() => null))

/**
 * Leftovers of builds that were killed: a temporary folder is removed; a version moved aside by a
 * `--force` build that died before its replacement was in place is moved back. Folders of builds
 * still running are left alone.
 */
const recoverFromKilledBuilds = (datasetDir: string, versionDir: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    if (!(yield* fs.exists(datasetDir))) return
    for (const entry of (yield* fs.readDirectory(datasetDir)).sort()) {
      const leftover = /^\.(tmp|old)-(.+)-(\d+)$/u.exec(entry)
      if (leftover === null || isProcessAlive(Number(leftover[3]))) continue
      const folder = path.join(datasetDir, entry)
      if (leftover[1] === "old" && leftover[2] === config.version && !(yield* fs.exists(versionDir))) yield* fs.rename(folder, versionDir)
      else yield* fs.remove(folder, { recursive: true })
    }
  })

export const buildDataset = (options: { readonly raw: string; readonly out: string; readonly force: boolean; readonly timings: boolean; readonly workers: Option.Option<number> }) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const datasetDir = path.join(options.out, config.dataset)
    const versionDir = path.join(datasetDir, config.version)
    const listed = yield* listFiles(options.raw)
    const inputBytes = listed.reduce((n, f) => n + f.bytes, 0)
    yield* recoverFromKilledBuilds(datasetDir, versionDir)
    if ((yield* fs.exists(versionDir)) && !options.force) return yield* new VersionExists({ path: versionDir })

    const lexiconFingerprints: Record<string, { entries: number; sha256: string }> = {}
    for (const file of LEXICON_FILES) {
      const bytes = yield* fs.readFile(file)
      const parsed = JSON.parse(new TextDecoder().decode(bytes))
      const entries = parsed.entities ?? parsed.lines ?? parsed.abbreviations ?? parsed.only_in_context ?? parsed.person_titles ?? []
      lexiconFingerprints[path.basename(file)] = { entries: entries.length, sha256: sha256(bytes) }
    }
    const previous = yield* previousVersion(datasetDir)

    const tmpDir = path.join(datasetDir, `.tmp-${config.version}-${process.pid}`)
    yield* fs.makeDirectory(tmpDir, { recursive: true })
    const totals = new Totals()
    const threads = Math.min(Option.getOrElse(options.workers, () => (inputBytes < SMALL_INPUT_BYTES ? 0 : availableParallelism())), listed.length)
    yield* Effect.gen(function* () {
      const tableEntries = yield* writeTables(options.raw, listed, threads, tmpDir, totals)
      if (totals.documents === 0) return yield* new NoUsableRecords({ raw: options.raw, rejects: totals.rejects })
      if (totals.recordsRead !== totals.documents + totals.duplicates + totals.rejects) {
        return yield* Effect.dieMessage("accounting broken: records read ≠ kept + duplicates + rejects")
      }
      yield* writeMetadata(totals, tableEntries, lexiconFingerprints, previous, tmpDir)
    }).pipe(Effect.onExit((exit) => (Exit.isSuccess(exit) ? Effect.void : fs.remove(tmpDir, { recursive: true }).pipe(Effect.ignore))))

    if (yield* fs.exists(versionDir)) {
      const oldDir = path.join(datasetDir, `.old-${config.version}-${process.pid}`)
      yield* fs.rename(versionDir, oldDir)
      yield* fs.rename(tmpDir, versionDir)
      yield* fs.remove(oldDir, { recursive: true })
    } else {
      yield* fs.rename(tmpDir, versionDir)
    }

    const byLabel = totals.mentionsByLabel()
    const rejectDetail = Object.entries(totals.rejectsByReason).map(([k, v]) => `${k} ${v}`).join(", ")
    yield* Console.log(
      [
        `built ${versionDir}`,
        `  records read  ${totals.recordsRead} from ${totals.inputFiles.length} files`,
        `  rejected      ${totals.rejects}${rejectDetail === "" ? "" : ` (${rejectDetail})`}`,
        `  duplicates    ${totals.duplicates}`,
        `  documents     ${totals.documents}`,
        `  sentences     ${totals.wordsPerSentence.count}`,
        `  mentions      ${(byLabel.PLACE ?? 0) + (byLabel.ACTOR ?? 0)} (PLACE ${byLabel.PLACE ?? 0}, ACTOR ${byLabel.ACTOR ?? 0})`
      ].join("\n")
    )
    if (options.timings) {
      const rounded = (times: Record<string, number>) => Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(v)]))
      const usage = process.resourceUsage()
      const cpu_ms = { user: Math.round(usage.userCPUTime / 1000), system: Math.round(usage.systemCPUTime / 1000) } // all threads
      const timings = { wall_ms: rounded(wallMs), work_ms: rounded(workMs), workers: threads, cpu_ms, peak_rss_mb: Math.round(usage.maxRSS / 1024) }
      yield* Console.error(`timings ${JSON.stringify(timings)}`)
    }
  })

const command = Command.make(
  "build",
  {
    raw: Options.text("raw").pipe(Options.withDefault("raw"), Options.withDescription("folder of raw articles")),
    out: Options.text("out").pipe(Options.withDefault("out"), Options.withDescription("output folder")),
    force: Options.boolean("force").pipe(Options.withDescription("replace a version that exists")),
    timings: Options.boolean("timings").pipe(Options.withDescription("print time per pass and peak memory as JSON on stderr")),
    workers: Options.integer("workers").pipe(
      Options.optional,
      Options.withDescription("worker threads, 0 for none (default: one per core, none for inputs under 2 MB); the output does not depend on it")
    )
  },
  (options) => buildDataset(options)
)

const cli = Command.run(command, { name: "mosul-news-ar build", version: packageJson.version })

cli(process.argv).pipe(
  Effect.catchTags({
    VersionExists: (e) => Console.error(`error: ${e.message}`).pipe(Effect.zipRight(Effect.sync(() => (process.exitCode = 2)))),
    RawFolderMissing: (e) => Console.error(`error: ${e.message}`).pipe(Effect.zipRight(Effect.sync(() => (process.exitCode = 2)))),
    NoUsableRecords: (e) => Console.error(`error: ${e.message}`).pipe(Effect.zipRight(Effect.sync(() => (process.exitCode = 1))))
  }),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain
)
