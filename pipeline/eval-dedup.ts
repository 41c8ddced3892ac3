/**
 * Evaluates deduplication two ways.
 * 1. A generated benchmark (pipeline/dedup-benchmark.ts) built with the real build: pairwise
 *    precision and recall of the duplicate groups, and recall by kind of edit.
 * 2. The whole SaudiNewsNet dev corpus through the build's normalize, segment and dedup: exact and near
 *    groups, the time dedup took, and 30 random near pairs side by side for reading.
 */
import { spawnSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { DedupIndex } from "../src/dedup.js"
import { isReject } from "../src/ingest.js"
import { bodyNorm, normalizeRecord, segmentRecord } from "../src/record.js"
import config from "./config.json" with { type: "json" }
import { DEFAULT_CORPUS, random, readCorpus, tempDir } from "./corpus.js"
import { EDITS, generateBenchmark } from "./dedup-benchmark.js"
import { prf, readJsonl, recordQuality, round3 } from "./evaluation.js"

const { values } = parseArgs({ options: { corpus: { type: "string", default: DEFAULT_CORPUS }, originals: { type: "string", default: "300" }, seed: { type: "string", default: "1" } } })
const articles = readCorpus(values.corpus)

// 1. Generated benchmark, through the real build.
const records = generateBenchmark(articles, Number(values.originals), random(Number(values.seed)))
const raw = tempDir("mna-dedup-raw-")
const out = tempDir("mna-dedup-out-")
writeFileSync(join(raw, "benchmark.jsonl"), records.map((r) => JSON.stringify({ title: r.title, text: r.text, source: r.source, url: r.id }) + "\n").join(""))
const build = spawnSync("node_modules/.bin/tsx", ["pipeline/build.ts", "--raw", raw, "--out", out], { encoding: "utf8" })
if (build.status !== 0) {
  console.error(build.stderr)
  process.exit(1)
}
const dir = join(out, config.dataset, config.version)
const documents = readJsonl<{ doc_id: string; record: number }>(join(dir, "documents.jsonl"))
const duplicates = readJsonl<{ record: number; kept_doc_id: string; kind: string }>(join(dir, "duplicates.jsonl"))
const keptRecord = new Map(documents.map((d) => [d.doc_id, d.record]))
/** Predicted group of each record: the record index of its kept article. */
const predicted = new Map<number, number>(documents.map((d) => [d.record, d.record]))
for (const d of duplicates) predicted.set(d.record, keptRecord.get(d.kept_doc_id)!)

let tp = 0
let fp = 0
let fn = 0
const falsePairs: Array<string> = []
for (let a = 0; a < records.length; a++) {
  for (let b = a + 1; b < records.length; b++) {
    const same = records[a].group === records[b].group
    const together = predicted.get(a) === predicted.get(b)
    if (same && together) tp++
    else if (together) {
      fp++
      if (falsePairs.length < 10) falsePairs.push(`${records[a].id} ~ ${records[b].id}`)
    } else if (same) fn++
  }
}
const pairwise = prf({ tp, fp, fn })
console.log(`Generated benchmark: ${values.originals} originals × ${EDITS.length} edits + distractors = ${records.length} records (seed ${values.seed})`)
console.log(`pairwise: tp ${tp} fp ${fp} fn ${fn}  precision ${pairwise.precision.toFixed(4)}  recall ${pairwise.recall.toFixed(4)}  F1 ${pairwise.f1.toFixed(4)}`)
const recordIndex = new Map(records.map((r, i) => [r.id, i]))
console.log("\nrecall by kind of edit (copy grouped with its original):")
for (const edit of EDITS) {
  const copies = records.map((r, i) => ({ r, i })).filter(({ r }) => r.edit === edit)
  const found = copies.filter(({ r, i }) => predicted.get(i) === predicted.get(recordIndex.get(`${r.group}-original`)!)).length
  console.log(`  ${edit.padEnd(28)} ${found}/${copies.length} = ${(found / copies.length).toFixed(4)}`)
}
const distractors = records.map((r, i) => ({ r, i })).filter(({ r }) => r.id.endsWith("-distractor"))
const wronglyRemoved = distractors.filter(({ i }) => predicted.get(i) !== i).length
console.log(`distractors removed as duplicates: ${wronglyRemoved}/${distractors.length}`)
if (falsePairs.length > 0) console.log(`false pairs (first ${falsePairs.length}): ${falsePairs.join(", ")}`)

recordQuality("dedup", {
  benchmark: `${records.length} generated records from SaudiNewsNet (seed ${values.seed})`,
  pairwise_precision: round3(pairwise.precision),
  pairwise_recall: round3(pairwise.recall)
})

// 2. The whole corpus, through the build's normalize, segment and dedup (bodies only).
const index = new DedupIndex(config.dedup.near)
const texts: Array<string> = []
const kept = new Map<string, number>()
const nearPairs: Array<{ a: number; b: number; similarity: number }> = []
let exactCopies = 0
let rejected = 0
let dedupMs = 0
articles.forEach((article, i) => {
  const raw = { sourceFile: "corpus", record: i, encoding: "utf-8", title: null, text: { value: article.content, rawBase: 0 }, source: null, url: null, author: null, published: null }
  const normalized = normalizeRecord(raw)
  if (isReject(normalized)) {
    texts.push("")
    rejected++
    return
  }
  texts.push(normalized.text.text)
  const id = String(i)
  const norm = bodyNorm(segmentRecord(normalized))
  const started = performance.now()
  const result = index.check(id, norm)
  dedupMs += performance.now() - started
  if (result === null) kept.set(id, i)
  else if (result.kind === "exact") exactCopies++
  else nearPairs.push({ a: kept.get(result.keptDocId)!, b: i, similarity: result.similarity })
})
const groups = (pairs: ReadonlyArray<{ a: number }>) => new Set(pairs.map((p) => p.a)).size
console.log(`\nSaudiNewsNet dev: ${articles.length} articles, ${rejected} rejected; exact copies removed ${exactCopies}; near copies removed ${nearPairs.length} in ${groups(nearPairs)} groups; dedup time ${(dedupMs / 1000).toFixed(2)} s`)
const rand = random(7)
const sample = nearPairs.map((p) => ({ p, k: rand() })).sort((x, y) => x.k - y.k).slice(0, 30).map((x) => x.p)
const clip = (s: string) => s.replace(/\s+/gu, " ").slice(0, 160)
console.log("\n30 random near pairs (kept | removed):")
for (const { a, b, similarity } of sample) {
  console.log(`\n[${similarity.toFixed(2)}] ${articles[a].source} ${articles[a].url.slice(0, 60)}\n  kept:    ${clip(texts[a])}\n  removed: ${clip(texts[b])}  (${articles[b].source})`)
}
