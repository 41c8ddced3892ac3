import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { tableFromIPC } from "apache-arrow"
import { beforeAll, describe, expect, it } from "vitest"
import { random } from "../pipeline/corpus.js"
import { build, tempDir, readJsonl, versionDir } from "./helpers.js"

const FOLLOW_US = "تابعونا على تويتر لمزيد من أخبار الموصل والعراق."

/**
 * Three JSONL files of 1,300 articles each, made of seed sentences: more than a chunk per file,
 * with exact copies, edited copies, one source's repeated footer and records to reject.
 */
const writeCorpus = (folder: string) => {
  const sentences = readdirSync("raw")
    .flatMap((file) => readFileSync(join("raw", file), "utf8").split(/(?<=[.!؟])\s+/u))
    .filter((s) => s.length > 30)
  const rand = random(7)
  const pick = () => sentences[Math.floor(rand() * sentences.length)]
  for (let file = 0; file < 3; file++) {
    const records: Array<object> = []
    for (let i = 0; i < 1300; i++) {
      const source = ["alpha", "beta", "gamma"][i % 3]
      let text = Array.from({ length: 6 + (i % 5) }, pick).join(" ")
      if (source === "alpha" && i % 7 === 0) text += `\n${FOLLOW_US}`
      if (i % 97 === 5 && records.length > 0) text = (records[records.length - 1] as { text: string }).text
      if (i % 89 === 3 && records.length > 0) text = (records[records.length - 1] as { text: string }).text.replace(/\s\S+$/u, " كلمة")
      records.push(i % 211 === 0 ? { text: "" } : { title: `خبر ${file}-${i}`, source, text })
    }
    writeFileSync(join(folder, `part-${file}.jsonl`), records.map((r) => JSON.stringify(r)).join("\n"))
  }
}

describe("the worker pool", () => {
  const raw = tempDir("mna-workers-raw-")
  const outs = { 0: "", 1: "", 2: "" }

  beforeAll(() => {
    writeCorpus(raw)
    for (const workers of [0, 1, 2] as const) {
      outs[workers] = tempDir(`mna-workers-${workers}-`)
      const result = build(raw, outs[workers], "--workers", String(workers))
      expect(result.status, result.stderr).toBe(0)
    }
  }, 120_000)

  it("writes the same bytes with 2 workers, 1 worker and none", () => {
    const sums = (workers: 0 | 1 | 2) => readFileSync(join(versionDir(outs[workers]), "SHA256SUMS"), "utf8")
    expect(sums(1)).toBe(sums(0))
    expect(sums(2)).toBe(sums(1))
  })

  it("the corpus exercises every decision: chunks, rejects, exact and near copies, repeated sentences", () => {
    const manifest = JSON.parse(readFileSync(join(versionDir(outs[2]), "manifest.json"), "utf8"))
    expect(manifest.counts.records_read).toBe(3900)
    expect(manifest.counts.documents).toBeGreaterThan(3 * 1000)
    expect(manifest.counts.rejects).toBeGreaterThan(0)
    expect(manifest.counts.duplicates.exact).toBeGreaterThan(0)
    expect(manifest.counts.duplicates.near).toBeGreaterThan(0)
    expect(manifest.counts.repeated_sentences_removed).toBeGreaterThan(0)
    expect(manifest.accounting.holds).toBe(true)
  })

  it("keeps input order across chunks and workers, in every format", () => {
    const dir = versionDir(outs[2])
    const documents = readJsonl(join(dir, "documents.jsonl"))
    const order = documents.map((d) => `${d.source_file}#${String(d.record).padStart(5, "0")}`)
    expect(order).toEqual([...order].sort())
    const arrow = tableFromIPC(readFileSync(join(dir, "documents.arrow")))
    expect(arrow.batches.length).toBeGreaterThan(3)
    expect(arrow.getChild("doc_id")!.toArray()).toEqual(documents.map((d) => d.doc_id))
  })

  it("leaves no spill files behind", () => {
    expect(readdirSync(versionDir(outs[2])).filter((f) => f.startsWith("."))).toEqual([])
  })
})
