/**
 * The SaudiNewsNet corpus (research only, never committed): its zip files of JSON arrays, read in
 * place, for benchmarks and evaluations; and the temporary folders those runs write to.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { strFromU8, unzipSync } from "fflate"

export const DEFAULT_CORPUS = "../shared/corpora/saudinewsnet"

const temporary: Array<string> = []

/** A new temporary folder, removed when the process exits (a ×4 bench build writes 3.7 GB). */
export const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  if (temporary.push(dir) === 1) process.on("exit", () => temporary.forEach((d) => rmSync(d, { recursive: true, force: true })))
  return dir
}

export interface CorpusArticle {
  readonly source: string
  readonly url: string
  readonly title: string
  readonly date_extracted: string
  readonly author?: string
  readonly content: string
}

const zipFiles = (folder: string) => {
  if (!existsSync(folder)) {
    console.error(`error: corpus folder not found: ${folder}`)
    process.exit(2)
  }
  return readdirSync(folder).filter((f) => f.endsWith(".zip")).sort()
}

/** Every article of the corpus, in file order. */
export const readCorpus = (folder = DEFAULT_CORPUS): Array<CorpusArticle> =>
  zipFiles(folder).flatMap((zip) => {
    const files = unzipSync(readFileSync(join(folder, zip)))
    return Object.keys(files)
      .sort()
      .filter((name) => name.endsWith(".json"))
      .flatMap((name) => JSON.parse(strFromU8(files[name])) as Array<CorpusArticle>)
  })

/** Unpacks the corpus's JSON files into `target` (a raw folder for a build); returns their names. */
export const unpackCorpus = (target: string, folder = DEFAULT_CORPUS): Array<string> =>
  zipFiles(folder).flatMap((zip) => {
    const files = unzipSync(readFileSync(join(folder, zip)))
    return Object.keys(files)
      .filter((name) => name.endsWith(".json"))
      .map((name) => {
        writeFileSync(join(target, name), files[name])
        return name
      })
  })

/** A small seeded generator (mulberry32), so generated data is the same on every run. */
export const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
