/**
 * Scores the built mentions against the gold by raw offsets: exact-span and overlap precision,
 * recall and F1 per label, type accuracy on exact matches, and the errors by surface for reading.
 */
import { join } from "node:path"
import { add, builtTable, header, options, prf, readJsonl, recordQuality, round3, row, score, zero, type Score } from "./evaluation.js"

interface Mention {
  readonly file: string
  readonly start: number
  readonly end: number
  readonly text: string
  readonly label: string
  readonly type: string
}

const { out, gold } = options()
const documents = builtTable<{ doc_id: string; source_file: string }>(out, "documents")
const fileOf = new Map(documents.map((d) => [d.doc_id, d.source_file]))
const goldMentions = readJsonl<Mention>(join(gold, "mentions.jsonl"))
const goldFiles = new Set(goldMentions.map((m) => m.file))
const built: Array<Mention> = builtTable<{ doc_id: string; raw_start: number; raw_end: number; text: string; label: string; type: string }>(out, "mentions")
  .map((m) => ({ file: fileOf.get(m.doc_id) ?? "", start: m.raw_start, end: m.raw_end, text: m.text, label: m.label, type: m.type }))
  .filter((m) => goldFiles.has(m.file))

const key = (m: Mention) => `${m.file}|${m.start}|${m.end}|${m.label}`
const overlaps = (a: Mention, b: Mention) => a.file === b.file && a.label === b.label && a.start < b.end && b.start < a.end

/** Overlap scoring: a prediction is right when it overlaps a gold span of its label, and a gold span is found when any prediction overlaps it. */
const overlapScore = (predicted: ReadonlyArray<Mention>, goldSpans: ReadonlyArray<Mention>): Score => {
  const tp = predicted.filter((p) => goldSpans.some((g) => overlaps(p, g))).length
  const found = goldSpans.filter((g) => predicted.some((p) => overlaps(p, g))).length
  return { tp, fp: predicted.length - tp, fn: goldSpans.length - found }
}

console.log("Mentions against the gold (raw offsets)\n")
console.log(header("label"))
const exactByLabel: Record<string, Score> = {}
let exactAll: Score = zero
let overlapAll: Score = zero
for (const label of ["PLACE", "ACTOR"]) {
  const p = built.filter((m) => m.label === label)
  const g = goldMentions.filter((m) => m.label === label)
  const exact = score(p.map(key), g.map(key))
  const overlap = overlapScore(p, g)
  exactByLabel[label] = exact
  exactAll = add(exactAll, exact)
  overlapAll = add(overlapAll, overlap)
  console.log(row(`${label} exact`, exact))
  console.log(row(`${label} overlap`, overlap))
}
console.log(row("all exact", exactAll))
console.log(row("all overlap", overlapAll))

const goldByKey = new Map(goldMentions.map((m) => [key(m), m]))
const matched = built.filter((m) => goldByKey.has(key(m)))
const typeRight = matched.filter((m) => goldByKey.get(key(m))!.type === m.type).length
console.log(`\ntype accuracy on exact matches: ${typeRight}/${matched.length} = ${(typeRight / Math.max(1, matched.length)).toFixed(3)}`)

const builtKeys = new Set(built.map(key))
const tally = (ms: ReadonlyArray<Mention>) => {
  const counts = new Map<string, number>()
  for (const m of ms) counts.set(`${m.label} ${m.type} ${m.text}`, (counts.get(`${m.label} ${m.type} ${m.text}`) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `  ${n} × ${k}`)
}
console.log("\nfalse positives (built, not in gold):\n" + tally(built.filter((m) => !goldByKey.has(key(m)))).join("\n"))
console.log("\nmisses (gold, not built):\n" + tally(goldMentions.filter((m) => !builtKeys.has(key(m)))).join("\n"))
console.log("\ntype errors (gold type → built):\n" + matched.filter((m) => goldByKey.get(key(m))!.type !== m.type).map((m) => `  ${m.text}: ${goldByKey.get(key(m))!.type} → ${m.type}`).join("\n"))

recordQuality("tagging", {
  gold: "dev gold, 5 seed articles, 422 mentions",
  place_exact_f1: round3(prf(exactByLabel.PLACE).f1),
  actor_exact_f1: round3(prf(exactByLabel.ACTOR).f1),
  all_exact_precision: round3(prf(exactAll).precision),
  all_exact_recall: round3(prf(exactAll).recall),
  all_overlap_f1: round3(prf(overlapAll).f1),
  type_accuracy: round3(typeRight / Math.max(1, matched.length))
})
