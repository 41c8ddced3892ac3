/**
 * Scores the built sentences against the gold by raw offsets: boundary precision, recall and F1 per
 * file and overall (a boundary is a sentence's end), plus exact sentence spans; and, in the same
 * run, ICU's sentence breaks (Intl.Segmenter) on the same raw texts.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { add, builtTable, header, options, prf, readJsonl, recordQuality, round3, row, score, zero, type Score } from "./evaluation.js"

interface GoldFile {
  readonly file: string
  readonly sentences: ReadonlyArray<{ start: number; end: number }>
}

const { out, raw, gold } = options()
const documents = builtTable<{ doc_id: string; source_file: string }>(out, "documents")
const sentences = builtTable<{ doc_id: string; raw_start: number; raw_end: number }>(out, "sentences")
const fileOf = new Map(documents.map((d) => [d.doc_id, d.source_file]))

/** ICU's sentences of a text, as code-point spans without edge whitespace. */
const icuSpans = (text: string): Array<[number, number]> => {
  const spans: Array<[number, number]> = []
  for (const { segment, index } of new Intl.Segmenter("ar", { granularity: "sentence" }).segment(text)) {
    const start = [...text.slice(0, index)].length
    const chars = [...segment]
    let s = 0
    let e = chars.length
    while (s < e && /\s/u.test(chars[s])) s++
    while (e > s && /\s/u.test(chars[e - 1])) e--
    if (e > s) spans.push([start + s, start + e])
  }
  return spans
}

const ends = (spans: ReadonlyArray<readonly [number, number]>) => spans.map(([, e]) => String(e))
const whole = (spans: ReadonlyArray<readonly [number, number]>) => spans.map(([s, e]) => `${s}-${e}`)

let ours: Score = zero
let oursSpans: Score = zero
let icu: Score = zero
let icuSpansTotal: Score = zero
const lines: Array<string> = []
for (const goldFile of readJsonl<GoldFile>(join(gold, "sentences.jsonl"))) {
  const goldSpans = goldFile.sentences.map((s) => [s.start, s.end] as const)
  const built = sentences.filter((s) => fileOf.get(s.doc_id) === goldFile.file).map((s) => [s.raw_start, s.raw_end] as const)
  const icuBuilt = icuSpans(readFileSync(join(raw, goldFile.file), "utf8"))
  const fileScore = score(ends(built), ends(goldSpans))
  const icuScore = score(ends(icuBuilt), ends(goldSpans))
  ours = add(ours, fileScore)
  icu = add(icu, icuScore)
  oursSpans = add(oursSpans, score(whole(built), whole(goldSpans)))
  icuSpansTotal = add(icuSpansTotal, score(whole(icuBuilt), whole(goldSpans)))
  lines.push(row(`${goldFile.file.slice(0, 20)} ours`, fileScore), row(`${goldFile.file.slice(0, 20)} ICU`, icuScore))
}

console.log("Sentence boundaries against the gold (raw offsets)\n")
console.log(header("file"))
console.log(lines.join("\n"))
console.log("")
console.log(header("overall"))
console.log(row("boundaries: ours", ours))
console.log(row("boundaries: ICU", icu))
console.log(row("exact sentences: ours", oursSpans))
console.log(row("exact sentences: ICU", icuSpansTotal))
console.log(`\nboundary F1: ours ${prf(ours).f1.toFixed(3)}, ICU ${prf(icu).f1.toFixed(3)}, margin ${(prf(ours).f1 - prf(icu).f1).toFixed(3)}`)

recordQuality("segmentation", {
  gold: "dev gold, 5 seed articles, 113 sentences",
  boundary_precision: round3(prf(ours).precision),
  boundary_recall: round3(prf(ours).recall),
  boundary_f1: round3(prf(ours).f1),
  icu_boundary_f1: round3(prf(icu).f1)
})
