/**
 * The dataset build: RAW → ingest → normalize → deduplicate → segment + tag → write
 * OUT/<dataset>/<version>/, through a temporary folder renamed into place when complete.
 */
import { Command, Options } from "@effect/cli"
import { FileSystem, Path } from "@effect/platform"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Data, Effect, Option, Stream } from "effect"
import actorData from "../lexicons/actors.json" with { type: "json" }
import ambiguityRules from "../lexicons/ambiguous.json" with { type: "json" }
import patternData from "../lexicons/patterns.json" with { type: "json" }
import placeData from "../lexicons/places.json" with { type: "json" }
import packageJson from "../package.json" with { type: "json" }
import { datasheet, distribution, type BuildStats } from "../src/datasheet.js"
import { DedupIndex, repeatedSentences, sha256 } from "../src/dedup.js"
import { ingest, isReject, listFiles } from "../src/ingest.js"
import { buildPatterns } from "../src/patterns.js"
import { annotateRecord, normalizeRecord, segmentRecord, type NormalizedRecord, type SegmentedRecord } from "../src/record.js"
import { buildLexicon, type Entity } from "../src/tag.js"
import type { DocumentRow, DuplicateRow, MentionRow, RawRecord, Reject, SentenceRow } from "../src/types.js"
import { changelog, croissant, datasetCard, type VersionSummary } from "../src/metadata.js"
import { fileEntry, sha256Sums, tableFiles, type FileEntry, type OutputFile, type TableName } from "../src/write.js"
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
const PROGRESS_EVERY = 1000

/** Milliseconds spent in each stage of this build, for `--timings` (never written into the dataset). */
const stageMs: Record<string, number> = {}
const timed = <A extends Array<unknown>, B>(stage: string, f: (...args: A) => B) => (...args: A): B => {
  const started = performance.now()
  const result = f(...args)
  stageMs[stage] = (stageMs[stage] ?? 0) + performance.now() - started
  return result
}

const increment = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by
}

interface Collected {
  readonly inputFiles: Array<string>
  readonly rejects: Array<Reject>
  readonly documents: Array<DocumentRow>
  readonly sentences: Array<SentenceRow>
  readonly mentions: Array<MentionRow>
  readonly duplicates: Array<DuplicateRow>
  readonly encodings: Record<string, number>
  readonly boilerplateLines: Record<string, number>
  recordsRead: number
  repeatedSentencesRemoved: number
  mojibakeRepaired: number
}

const collect = (raw: string, files: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const actors = actorData.entities.map((e): Entity => ({ ...e, label: "ACTOR" }))
    const lexicon = buildLexicon([...actors, ...(placeData.entities as ReadonlyArray<Entity>)], ambiguityRules)
    const patterns = buildPatterns(patternData)
    const dedup = new DedupIndex(config.dedup.near)
    const state: Collected = {
      inputFiles: [],
      rejects: [],
      documents: [],
      sentences: [],
      mentions: [],
      duplicates: [],
      encodings: {},
      boilerplateLines: {},
      recordsRead: 0,
      repeatedSentencesRemoved: 0,
      mojibakeRepaired: 0
    }
    /** Rejects and duplicates are recorded and leave the stream; kept articles go on. */
    const keepUnique = (item: Reject | NormalizedRecord): Option.Option<NormalizedRecord> => {
      if (isReject(item)) {
        state.rejects.push(item)
        return Option.none()
      }
      increment(state.encodings, item.raw.encoding)
      if (item.mojibakeRepaired) state.mojibakeRepaired++
      const duplicateOf = dedup.check(item.docId, item.textNorm)
      if (duplicateOf === null) {
        for (const kind of [...(item.title?.boilerplate ?? []), ...item.text.boilerplate]) increment(state.boilerplateLines, kind)
        return Option.some(item)
      }
      const { keptDocId, kind, similarity } = duplicateOf
      state.duplicates.push({ doc_id: item.docId, source_file: item.raw.sourceFile, record: item.raw.record, kept_doc_id: keptDocId, kind, similarity })
      return Option.none()
    }
    yield* ingest(raw, files).pipe(
      Stream.mapConcat((file) => {
        state.inputFiles.push(`${file.sha256 ?? "-"}  ${file.file}`)
        return file.items
      }),
      Stream.tap(() => (++state.recordsRead % PROGRESS_EVERY === 0 ? Console.error(`… ${state.recordsRead} records read`) : Effect.void)),
      Stream.map(timed("normalize", (item: RawRecord | Reject) => (isReject(item) ? item : normalizeRecord(item)))),
      Stream.filterMap(timed("deduplicate", keepUnique)),
      Stream.map(timed("segment", segmentRecord)),
      Stream.runCollect
    ).pipe(
      Effect.map((segmented) => {
        // Repeated sentences are known only once every article of a source is segmented.
        const sourceOf = (s: SegmentedRecord) => s.record.raw.source ?? "(none)"
        const repeated = repeatedSentences(
          [...segmented].map((s) => ({ source: sourceOf(s), sentences: s.sentences.map((x) => x.textNorm) })),
          config.repeated_sentences.min_documents
        )
        for (const item of segmented) {
          const source = sourceOf(item)
          const isRepeated = (sentence: { readonly textNorm: string }) => repeated.has(`${source}\t${sentence.textNorm}`)
          state.repeatedSentencesRemoved += item.sentences.filter(isRepeated).length
          const annotated = timed("tag", annotateRecord)(item, lexicon, patterns, isRepeated)
          state.documents.push(annotated.document)
          for (const sentence of annotated.sentences) state.sentences.push(sentence)
          for (const mention of annotated.mentions) state.mentions.push(mention)
        }
      })
    )
    return state
  })

const countBy = <A>(items: ReadonlyArray<A>, key: (a: A) => string) => {
  const counts: Record<string, number> = {}
  for (const item of items) increment(counts, key(item))
  return counts
}

const sortedKeys = (counts: Record<string, number>) => Object.fromEntries(Object.keys(counts).sort().map((k) => [k, counts[k]]))

const TOP_ENTITIES = 20

const topEntities = (mentions: ReadonlyArray<MentionRow>) => {
  const counts = new Map<string, { entity: string; label: string; mentions: number }>()
  for (const m of mentions) {
    if (m.entity_id === null) continue
    const entry = counts.get(m.entity_id) ?? { entity: `${m.entity_en} / ${m.entity_ar}`, label: m.label, mentions: 0 }
    entry.mentions++
    counts.set(m.entity_id, entry)
  }
  return [...counts.values()].sort((a, b) => b.mentions - a.mentions || (a.entity < b.entity ? -1 : 1)).slice(0, TOP_ENTITIES)
}

const publishedRange = (documents: ReadonlyArray<DocumentRow>): readonly [string, string] | null => {
  const dates = documents.map((d) => d.published).filter((p): p is string => p !== null).sort()
  return dates.length === 0 ? null : [dates[0], dates[dates.length - 1]]
}

/**
 * Writes every file of the release into `dir`, one at a time (each file's bytes are dropped once
 * written); the manifest and checksums come last.
 */
const writeRelease = (state: Collected, lexiconFingerprints: BuildStats["lexicons"], previous: VersionSummary | null, dir: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const entries: Array<FileEntry> = []
    const put = (file: OutputFile) =>
      Effect.gen(function* () {
        const started = performance.now()
        yield* fs.writeFile(path.join(dir, file.name), file.bytes)
        stageMs.write = (stageMs.write ?? 0) + performance.now() - started
        entries.push(fileEntry(file))
      })
    const encode = (text: string) => new TextEncoder().encode(text)
    const metadata = { dataset: config.dataset, version: config.version, pipeline_version: packageJson.version }
    const tables: Array<[TableName, ReadonlyArray<object>]> = [
      ["documents", state.documents],
      ["sentences", state.sentences],
      ["mentions", state.mentions],
      ["duplicates", state.duplicates]
    ]
    for (const [table, rows] of tables) {
      const files = tableFiles(table, rows, metadata)
      const next = timed("encode", () => files.next())
      for (let file = next(); !file.done; file = next()) yield* put(file.value)
    }
    yield* put({ name: "rejects.jsonl", bytes: encode(state.rejects.map((r) => JSON.stringify(r) + "\n").join("")), rows: state.rejects.length })

    const stats = buildStats(state, lexiconFingerprints)
    const sheet = datasheet(stats)
    yield* put({ name: "DATASHEET.md", bytes: encode(sheet), rows: null })
    const rows = { documents: state.documents.length, sentences: state.sentences.length, mentions: state.mentions.length, duplicates: state.duplicates.length } satisfies Record<TableName, number>
    const info = { dataset: config.dataset, version: config.version, title: config.title, licence: config.licence, rows, files: entries }
    yield* put({ name: "README.md", bytes: encode(datasetCard(info, sheet)), rows: null })
    yield* put({ name: "croissant.json", bytes: encode(croissant(info)), rows: null })
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
      repeated_sentences_removed: state.repeatedSentencesRemoved,
      mojibake_repaired: state.mojibakeRepaired
    }
    const current: VersionSummary = { version: config.version, pipeline_version: packageJson.version, counts, lexicons: lexiconFingerprints, docIds: state.documents.map((d) => d.doc_id) }
    yield* put({ name: "CHANGELOG.md", bytes: encode(changelog(current, previous)), rows: null })
    const manifest = {
      dataset: config.dataset,
      version: config.version,
      pipeline_version: packageJson.version,
      input: { files: state.inputFiles.length, fingerprint: sha256(state.inputFiles.join("\n")) },
      lexicons: lexiconFingerprints,
      counts,
      parameters: { dedup: config.dedup, repeated_sentences: config.repeated_sentences },
      accounting: {
        records_read: stats.recordsRead,
        kept_plus_duplicates_plus_rejects: stats.documents + state.duplicates.length + stats.rejects,
        holds: stats.recordsRead === stats.documents + state.duplicates.length + stats.rejects
      },
      files: [...entries]
    }
    yield* put({ name: "manifest.json", bytes: encode(JSON.stringify(manifest, null, 2) + "\n"), rows: null })
    yield* put({ name: "SHA256SUMS", bytes: sha256Sums(entries), rows: null })
  })

const buildStats = (state: Collected, lexiconFingerprints: BuildStats["lexicons"]): BuildStats => ({
  dataset: config.dataset,
  version: config.version,
  pipelineVersion: packageJson.version,
  inputFiles: state.inputFiles.length,
  recordsRead: state.recordsRead,
  rejects: state.rejects.length,
  rejectsByReason: sortedKeys(countBy(state.rejects, (r) => r.reason)),
  duplicates: sortedKeys(countBy(state.duplicates, (d) => d.kind)),
  documents: state.documents.length,
  sentences: state.sentences.length,
  words: state.documents.reduce((n, d) => n + d.n_words, 0),
  mentionsByLabel: sortedKeys(countBy(state.mentions, (m) => m.label)),
  mentionsByType: sortedKeys(countBy(state.mentions, (m) => `${m.label}/${m.type}`)),
  sources: sortedKeys(countBy(state.documents, (d) => d.source ?? "(none)")),
  encodings: sortedKeys(state.encodings),
  boilerplateLines: sortedKeys(state.boilerplateLines),
  repeatedSentencesRemoved: state.repeatedSentencesRemoved,
  mojibakeRepaired: state.mojibakeRepaired,
  publishedRange: publishedRange(state.documents),
  wordsPerDocument: distribution(state.documents.map((d) => d.n_words)),
  wordsPerSentence: distribution(state.sentences.map((x) => x.n_words)),
  topEntities: topEntities(state.mentions),
  quality,
  dedup: {
    exact: "equal text_norm of the body",
    near: `MinHash of word ${config.dedup.near.shingle}-gram shingles of text_norm, ${config.dedup.near.bands} bands × ${config.dedup.near.rows} rows, estimated Jaccard ≥ ${config.dedup.near.threshold}`,
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

export const buildDataset = (options: { readonly raw: string; readonly out: string; readonly force: boolean; readonly timings: boolean }) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const datasetDir = path.join(options.out, config.dataset)
    const versionDir = path.join(datasetDir, config.version)
    const inputFiles = yield* listFiles(options.raw)
    yield* recoverFromKilledBuilds(datasetDir, versionDir)
    if ((yield* fs.exists(versionDir)) && !options.force) return yield* new VersionExists({ path: versionDir })

    const state = yield* collect(options.raw, inputFiles)
    if (state.documents.length === 0) return yield* new NoUsableRecords({ raw: options.raw, rejects: state.rejects.length })
    if (state.recordsRead !== state.documents.length + state.duplicates.length + state.rejects.length) {
      return yield* Effect.dieMessage("accounting broken: records read ≠ kept + duplicates + rejects")
    }

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
    yield* writeRelease(state, lexiconFingerprints, previous, tmpDir)
    if (yield* fs.exists(versionDir)) {
      const oldDir = path.join(datasetDir, `.old-${config.version}-${process.pid}`)
      yield* fs.rename(versionDir, oldDir)
      yield* fs.rename(tmpDir, versionDir)
      yield* fs.remove(oldDir, { recursive: true })
    } else {
      yield* fs.rename(tmpDir, versionDir)
    }

    const byLabel = countBy(state.mentions, (m) => m.label)
    const byReason = countBy(state.rejects, (r) => r.reason)
    const rejectDetail = Object.entries(byReason).map(([k, v]) => `${k} ${v}`).join(", ")
    yield* Console.log(
      [
        `built ${versionDir}`,
        `  records read  ${state.recordsRead} from ${state.inputFiles.length} files`,
        `  rejected      ${state.rejects.length}${rejectDetail === "" ? "" : ` (${rejectDetail})`}`,
        `  duplicates    ${state.duplicates.length}`,
        `  documents     ${state.documents.length}`,
        `  sentences     ${state.sentences.length}`,
        `  mentions      ${state.mentions.length} (PLACE ${byLabel.PLACE ?? 0}, ACTOR ${byLabel.ACTOR ?? 0})`
      ].join("\n")
    )
    if (options.timings) {
      const timings = { ...Object.fromEntries(Object.entries(stageMs).map(([k, v]) => [k, Math.round(v)])), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }
      yield* Console.error(`timings ${JSON.stringify(timings)}`)
    }
  })

const command = Command.make(
  "build",
  {
    raw: Options.text("raw").pipe(Options.withDefault("raw"), Options.withDescription("folder of raw articles")),
    out: Options.text("out").pipe(Options.withDefault("out"), Options.withDescription("output folder")),
    force: Options.boolean("force").pipe(Options.withDescription("replace a version that exists")),
    timings: Options.boolean("timings").pipe(Options.withDescription("print time per stage and peak memory as JSON on stderr"))
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
