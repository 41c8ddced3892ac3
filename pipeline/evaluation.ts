/** Shared parts of the evaluation runners: where the built version and the gold are, and scores. */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { parseArgs } from "node:util"
import packageJson from "../package.json" with { type: "json" }
import config from "./config.json" with { type: "json" }

const QUALITY_FILE = "pipeline/quality.json"

/**
 * Records a runner's headline numbers in pipeline/quality.json, with the day and pipeline version
 * they were measured at; the datasheet of the next build quotes them.
 */
export const recordQuality = (stage: string, result: Record<string, number | string>) => {
  const quality = existsSync(QUALITY_FILE) ? JSON.parse(readFileSync(QUALITY_FILE, "utf8")) : {}
  quality[stage] = { ...result, measured: new Date().toISOString().slice(0, 10), pipeline_version: packageJson.version }
  const sorted = Object.fromEntries(Object.keys(quality).sort().map((k) => [k, quality[k]]))
  writeFileSync(QUALITY_FILE, JSON.stringify(sorted, null, 2) + "\n")
}

export const round3 = (x: number) => Math.round(x * 1000) / 1000

export const options = () =>
  parseArgs({
    options: {
      out: { type: "string", default: "out" },
      raw: { type: "string", default: "raw" },
      gold: { type: "string", default: "../shared/gold" }
    }
  }).values as { out: string; raw: string; gold: string }

export const readJsonl = <A>(file: string): Array<A> =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as A)

/** What a build is made from: a version built before one of these changed scores code that is gone. */
const BUILD_INPUTS = ["src", "lexicons", "pipeline/build.ts", "pipeline/build-worker.ts", "pipeline/config.json"]

const newestInput = (): { readonly path: string; readonly ms: number } =>
  BUILD_INPUTS.flatMap((input) => (statSync(input).isDirectory() ? readdirSync(input).map((f) => join(input, f)) : [input]))
    .map((path) => ({ path, ms: statSync(path).mtimeMs }))
    .reduce((a, b) => (b.ms > a.ms ? b : a))

/** The built version's table rows; stops with a clear line when the version has not been built, or was built before its code or lexicons changed. */
export const builtTable = <A>(out: string, table: string): Array<A> => {
  const dir = join(out, config.dataset, config.version)
  const file = join(dir, `${table}.jsonl`)
  if (!existsSync(file)) {
    console.error(`error: ${file} not found: run \`make dataset\` first`)
    process.exit(2)
  }
  const newest = newestInput()
  if (newest.ms > statSync(join(dir, "manifest.json")).mtimeMs) {
    console.error(`error: ${dir} was built before ${newest.path} changed: run \`make dataset FORCE=1\` first`)
    process.exit(2)
  }
  return readJsonl<A>(file)
}

export interface Score {
  readonly tp: number
  readonly fp: number
  readonly fn: number
}

export const score = (predicted: ReadonlyArray<string>, gold: ReadonlyArray<string>): Score => {
  const goldSet = new Set(gold)
  const predictedSet = new Set(predicted)
  const tp = [...predictedSet].filter((p) => goldSet.has(p)).length
  return { tp, fp: predictedSet.size - tp, fn: goldSet.size - tp }
}

export const add = (a: Score, b: Score): Score => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn })
export const zero: Score = { tp: 0, fp: 0, fn: 0 }

export const prf = ({ tp, fp, fn }: Score) => {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp)
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn)
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1 }
}

const f3 = (x: number) => x.toFixed(3)
export const row = (name: string, s: Score) => {
  const { precision, recall, f1 } = prf(s)
  return `${name.padEnd(28)} ${String(s.tp).padStart(5)} ${String(s.fp).padStart(5)} ${String(s.fn).padStart(5)}   ${f3(precision)}  ${f3(recall)}  ${f3(f1)}`
}
export const header = (name: string) => `${name.padEnd(28)}    tp    fp    fn   P      R      F1`
