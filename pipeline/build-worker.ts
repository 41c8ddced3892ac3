/**
 * A worker of the build's pool (piscina): runs a pass of src/passes.ts on one input file or one
 * chunk. Between the passes the segmented articles wait on disk in spill files inside the build's
 * temporary folder, so no thread holds the corpus: a chunk's articles one after another
 * (src/spill.ts), each written as soon as it is made and read when it is tagged. Plain
 * node:fs here: Effect takes a second to load, and a worker is a thread's edge of its own.
 */
import { readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import actorData from "../lexicons/actors.json" with { type: "json" }
import ambiguityRules from "../lexicons/ambiguous.json" with { type: "json" }
import patternData from "../lexicons/patterns.json" with { type: "json" }
import placeData from "../lexicons/places.json" with { type: "json" }
import type { NearParameters } from "../src/dedup.js"
import { fileRecords } from "../src/ingest.js"
import { analyze, annotate, readArticle, spillArticle, type Analysis } from "../src/passes.js"
import { SpillReader, SpillWriter } from "../src/spill.js"
import { buildPatterns } from "../src/patterns.js"
import { buildLexicon, type Entity } from "../src/tag.js"

export interface AnalyzeTask {
  readonly raw: string
  readonly file: string
  /** Chunk i of the file is spilled to `${spill}-${i}`. */
  readonly spill: string
  readonly near: NearParameters
  readonly chunkSize: number
}

export interface AnalyzedFile extends Analysis {
  readonly file: string
  readonly sha256: string | null
  readonly spills: ReadonlyArray<string>
}

export const analyzeFile = (task: AnalyzeTask): AnalyzedFile => {
  const full = join(task.raw, task.file)
  const real = (() => {
    try {
      return realpathSync(full)
    } catch {
      return null
    }
  })()
  const started = performance.now()
  const read = fileRecords(task.file, realpathSync(task.raw), real, () => readFileSync(full))
  const readMs = performance.now() - started
  const spills: Array<string> = []
  const chunk = new SpillWriter()
  let articles = 0
  const writeChunk = () => {
    const path = `${task.spill}-${spills.length}`
    writeFileSync(path, chunk.written())
    spills.push(path)
    chunk.clear()
    articles = 0
  }
  const analysis = analyze(read.items, task.near, (article) => {
    spillArticle(chunk, article)
    if (++articles === task.chunkSize) writeChunk()
  })
  if (articles > 0) writeChunk()
  return { ...analysis, stageMs: { read: readMs, ...analysis.stageMs }, file: read.file, sha256: read.sha256, spills }
}

let tagger: { readonly lexicon: ReturnType<typeof buildLexicon>; readonly patterns: ReturnType<typeof buildPatterns> } | undefined

const taggerOnce = () => {
  if (tagger === undefined) {
    const actors = actorData.entities.map((e): Entity => ({ ...e, label: "ACTOR" }))
    tagger = {
      lexicon: buildLexicon([...actors, ...(placeData.entities as ReadonlyArray<Entity>)], ambiguityRules),
      patterns: buildPatterns(patternData)
    }
  }
  return tagger
}

export interface AnnotateTask {
  readonly spill: string
  /** 1 for each article of the chunk that is kept, 0 for a duplicate. */
  readonly keep: Uint8Array
  /** Keys of the repeated sentences (`sentenceKey`). */
  readonly repeated: Float64Array
}

export const annotateChunk = (task: AnnotateTask) => {
  const { lexicon, patterns } = taggerOnce()
  const started = performance.now()
  const chunk = new SpillReader(readFileSync(task.spill))
  let unspillMs = performance.now() - started
  function* articles() {
    while (!chunk.done) {
      const started = performance.now()
      const article = readArticle(chunk)
      unspillMs += performance.now() - started
      yield article
    }
  }
  const annotated = annotate(articles(), task.keep, new Set(task.repeated), lexicon, patterns)
  rmSync(task.spill) // only now: a task that fails is done again from the same file
  return { ...annotated, stageMs: { ...annotated.stageMs, spill: unspillMs } }
}
