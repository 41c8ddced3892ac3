import { execFileSync, spawnSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { tableFromIPC } from "apache-arrow"
import { parse } from "csv-parse/sync"
import pl from "nodejs-polars"
import { beforeAll, describe, expect, it } from "vitest"
import config from "../pipeline/config.json" with { type: "json" }
import { cleanText, normalizeForMatch } from "../src/normalize.js"
import { TABLE_NAMES, TABLES, type TableName } from "../src/write.js"
import { build, tempDir, encodeWindows1256, readJsonl, versionDir } from "./helpers.js"

const codePoints = (s: string) => [...s]

describe("make dataset on the seed articles", () => {
  const out = tempDir("mna-e2e-")
  const dir = versionDir(out)
  let first: ReturnType<typeof build>

  beforeAll(() => {
    first = build("raw", out)
  })

  it("builds and ends with a summary", () => {
    expect(first.status).toBe(0)
    expect(first.stdout).toMatch(/records read\s+5/u)
    expect(first.stdout).toMatch(/documents\s+5/u)
    expect(first.stdout).toMatch(/mentions\s+\d+ \(PLACE \d+, ACTOR \d+\)/u)
  })

  it("writes every file of the contract and nothing half-done", () => {
    const expected = [
      ...TABLE_NAMES.flatMap((t) => ["csv", "jsonl", "arrow", "parquet"].map((ext) => `${t}.${ext}`)),
      "rejects.jsonl",
      "DATASHEET.md",
      "README.md",
      "croissant.json",
      "CHANGELOG.md",
      "manifest.json",
      "SHA256SUMS"
    ]
    expect(readdirSync(dir).sort()).toEqual(expected.sort())
    expect(readdirSync(join(out, config.dataset))).toEqual([config.version])
  })

  it("writes the same rows in CSV, JSONL and Arrow, with the contract's columns", () => {
    for (const table of TABLE_NAMES) {
      const columns = TABLES[table].map(([name]) => name)
      const jsonl = readJsonl(join(dir, `${table}.jsonl`))
      const csv: Array<Record<string, string>> = parse(readFileSync(join(dir, `${table}.csv`), "utf8"), { columns: true })
      const arrow = tableFromIPC(readFileSync(join(dir, `${table}.arrow`)))
      expect(arrow.schema.fields.map((f) => f.name)).toEqual(columns)
      expect(arrow.schema.metadata.get("version")).toBe(config.version)
      expect(arrow.numRows).toBe(jsonl.length)
      expect(csv.length).toBe(jsonl.length)
      expect(arrow.toArray().map((r) => r.toJSON())).toEqual(jsonl)
      expect(csv).toEqual(jsonl.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] === null ? "" : String(row[c])]))))
    }
  })

  it("types the Arrow columns: integers Int32, coordinates Float64, text Utf8", () => {
    const mentions = tableFromIPC(readFileSync(join(dir, "mentions.arrow")))
    const types = Object.fromEntries(mentions.schema.fields.map((f) => [f.name, String(f.type)]))
    expect(types).toMatchObject({ start: "Int32", raw_end: "Int32", lat: "Float64", lon: "Float64", text: "Utf8" })
  })

  it("Arrow and Parquet files read back with an independent reader (polars), with the same rows", () => {
    for (const table of TABLE_NAMES) {
      const jsonl = readJsonl(join(dir, `${table}.jsonl`))
      const arrow = pl.readIPC(readFileSync(join(dir, `${table}.arrow`)))
      const parquet = pl.readParquet(readFileSync(join(dir, `${table}.parquet`)))
      for (const df of [arrow, parquet]) {
        expect(df.height).toBe(jsonl.length)
        expect(df.columns).toEqual(TABLES[table].map(([name]) => name))
      }
      expect(parquet.toRecords()).toEqual(arrow.toRecords())
    }
  })

  it("CSV reads back in polars too: text with line breaks is quoted (RFC 4180), not split into rows", () => {
    const documents = readJsonl(join(dir, "documents.jsonl"))
    expect(documents.some((d) => d.text.includes("\n"))).toBe(true)
    const csv = pl.readCSV(readFileSync(join(dir, "documents.csv")), { inferSchemaLength: 0 })
    expect(csv.height).toBe(documents.length)
    expect(csv.getColumn("text").toArray()).toEqual(documents.map((d) => d.text))
  })

  it("offsets in code points slice the same way in polars", () => {
    const sentences = new Map(readJsonl(join(dir, "sentences.jsonl")).map((s) => [s.sentence_id, s.text]))
    const mentions = readJsonl(join(dir, "mentions.jsonl")).filter((_, i) => i % 7 === 0)
    for (const m of mentions) {
      const sliced = pl.Series("t", [sentences.get(m.sentence_id)]).str.slice(m.start, m.end - m.start).get(0)
      expect(sliced).toBe(m.text)
    }
  })

  it("writes a Hugging Face dataset card and a Croissant file that match the files", () => {
    const card = readFileSync(join(dir, "README.md"), "utf8")
    const front = card.split("---")[1]
    for (const key of ["pretty_name:", "license:", "language:", "- ar", "task_categories:", "size_categories:", "configs:", "config_name: mentions", 'data_files: "sentences.parquet"']) {
      expect(front).toContain(key)
    }
    for (const section of ["## Fields", "## How it was built", "## How to load it", "## Limitations", "## Licence and citation"]) expect(card).toContain(section)
    const croissant = JSON.parse(readFileSync(join(dir, "croissant.json"), "utf8"))
    const sums = new Map(readFileSync(join(dir, "SHA256SUMS"), "utf8").trim().split("\n").map((l) => [l.slice(66), l.slice(0, 64)]))
    expect(croissant.conformsTo).toBe("http://mlcommons.org/croissant/1.0")
    for (const file of croissant.distribution) {
      expect(file["@type"]).toBe("cr:FileObject")
      expect(file.sha256).toBe(sums.get(file.contentUrl))
    }
    expect(croissant.recordSet.map((r: { name: string }) => r.name)).toEqual(TABLE_NAMES)
    for (const recordSet of croissant.recordSet) {
      expect(recordSet.field.map((f: { name: string }) => f.name)).toEqual(TABLES[recordSet.name as TableName].map(([name]) => name))
      for (const field of recordSet.field) expect(field.source.fileObject["@id"]).toBe(`${recordSet.name}.parquet`)
    }
  })

  it("passes sha256sum -c and lists every file in the manifest", () => {
    expect(() => execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: dir })).not.toThrow()
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"))
    expect(manifest.files.map((f: { name: string }) => f.name)).toContain("sentences.arrow")
    expect(manifest.accounting.holds).toBe(true)
    expect(manifest.counts.documents).toBe(5)
  })

  it("raw offsets of mentions slice back to the raw surface that cleans to the mention's text", () => {
    const documents = new Map(readJsonl(join(dir, "documents.jsonl")).map((d) => [d.doc_id, d]))
    const mentions = readJsonl(join(dir, "mentions.jsonl"))
    expect(mentions.length).toBeGreaterThan(300)
    for (const m of mentions) {
      const raw = codePoints(readFileSync(join("raw", documents.get(m.doc_id).source_file), "utf8"))
      expect(cleanText(raw.slice(m.raw_start, m.raw_end).join("")).text).toBe(m.text)
    }
  })

  it("sentence offsets slice back to their text, in the document and in the raw file", () => {
    const documents = new Map(readJsonl(join(dir, "documents.jsonl")).map((d) => [d.doc_id, d]))
    for (const s of readJsonl(join(dir, "sentences.jsonl"))) {
      const doc = documents.get(s.doc_id)
      expect(codePoints(doc[s.field]).slice(s.start, s.end).join("")).toBe(s.text)
      const raw = codePoints(readFileSync(join("raw", doc.source_file), "utf8"))
      expect(normalizeForMatch(raw.slice(s.raw_start, s.raw_end).join(""))).toBe(s.text_norm)
    }
  })

  it("fills the datasheet's sections with this build's numbers", () => {
    const sheet = readFileSync(join(dir, "DATASHEET.md"), "utf8")
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"))
    for (const section of ["Motivation", "Composition", "Collection process", "Preprocessing", "Uses", "Distribution", "Maintenance"]) {
      expect(sheet).toContain(`## ${section}`)
    }
    expect(sheet).toContain(`**${manifest.counts.sentences}** sentences`)
    expect(sheet).toContain(`| PLACE | ${manifest.counts.mentions.PLACE} |`)
  })

  it("a second build of the same input is byte-identical", () => {
    const out2 = tempDir("mna-e2e2-")
    expect(build("raw", out2).status).toBe(0)
    for (const file of readdirSync(dir)) expect(readFileSync(join(versionDir(out2), file)).equals(readFileSync(join(dir, file)))).toBe(true)
  })

  it("writes a changelog against the previous version in the output folder", () => {
    const older = join(out, config.dataset, "0.0.1")
    cpSync(dir, older, { recursive: true })
    const documents = readFileSync(join(older, "documents.jsonl"), "utf8").split("\n")
    writeFileSync(join(older, "documents.jsonl"), [...documents.slice(1), JSON.stringify({ doc_id: "0000000000000000" }), ""].join("\n"))
    expect(build("raw", out, "--force").status).toBe(0)
    const log = readFileSync(join(dir, "CHANGELOG.md"), "utf8")
    expect(log).toContain(`## ${config.version} (against 0.0.1)`)
    expect(log).toContain("Documents added: 1; removed: 1.")
    rmSync(older, { recursive: true })
    expect(build("raw", out, "--force").status).toBe(0)
  })

  it("packages a reproducible release with its checksum", () => {
    const release = () => spawnSync("node_modules/.bin/tsx", ["pipeline/release.ts", "--out", out], { encoding: "utf8" })
    expect(release().status).toBe(0)
    const tarball = join(out, "releases", `${config.dataset}-${config.version}.tar.gz`)
    const first = readFileSync(tarball)
    expect(release().status).toBe(0)
    expect(readFileSync(tarball).equals(first)).toBe(true)
    expect(spawnSync("sha256sum", ["-c", "--quiet", `${config.dataset}-${config.version}.tar.gz.sha256`], { cwd: join(out, "releases") }).status).toBe(0)
    const listing = execFileSync("tar", ["tzf", tarball], { encoding: "utf8" }).trim().split("\n")
    expect(listing).toEqual(readdirSync(dir).sort().map((f) => `${config.dataset}-${config.version}/${f}`))
  })

  it("refuses to rebuild a version that exists, in one clear line, and replaces it with --force", () => {
    const again = build("raw", out)
    expect(again.status).toBe(2)
    expect(again.stderr.trim().split("\n")).toHaveLength(1)
    expect(again.stderr).toMatch(/version already built.*--force/u)
    const before = readFileSync(join(dir, "SHA256SUMS"))
    expect(build("raw", out, "--force").status).toBe(0)
    expect(readFileSync(join(dir, "SHA256SUMS")).equals(before)).toBe(true)
  })

  it("says in one line that a missing input folder is missing", () => {
    const result = build("no-such-folder", out)
    expect(result.status).toBe(2)
    expect(result.stderr.trim()).toBe("error: input folder not found: no-such-folder")
  })
})

describe("make dataset on a mixed input folder", () => {
  const raw = tempDir("mna-raw-")
  const out = tempDir("mna-out-")
  const seed = readFileSync("raw/001_5aa89ffc481f1ef0.txt", "utf8")
  const other = readFileSync("raw/003_34040a4af762ad67.txt", "utf8")

  beforeAll(() => {
    mkdirSync(join(raw, "nested", "deeper"), { recursive: true })
    cpSync("raw/000_72a975d9df36a078.txt", join(raw, "a.txt"))
    // The same article again, reformatted: an exact duplicate after normalization.
    writeFileSync(join(raw, "nested", "copy.txt"), readFileSync("raw/000_72a975d9df36a078.txt", "utf8").replace(/ /gu, "  "))
    writeFileSync(join(raw, "nested", "articles.json"), JSON.stringify([{ title: "عنوان", content: seed, source: "outlet-a", date_extracted: "2016-11-01" }]))
    writeFileSync(join(raw, "nested", "deeper", "lines.jsonl"), `${JSON.stringify({ text: other, source: "outlet-b" })}\n{not json\n`)
    writeFileSync(join(raw, "legacy.txt"), encodeWindows1256("تقدمت القوات العراقية في الموصل اليوم.\nوقال قائد عسكري إن المعركة مستمرة."))
    writeFileSync(join(raw, "table.csv"), "title,body\nأ,ب\n")
    writeFileSync(join(raw, "notes.md"), "# not an article")
  })

  it("keeps every good record, and accounts for every record read", () => {
    const result = build(raw, out)
    expect(result.status).toBe(0)
    const dir = versionDir(out)
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"))
    const documents = readJsonl(join(dir, "documents.jsonl"))
    const duplicates = readJsonl(join(dir, "duplicates.jsonl"))
    const rejects = readJsonl(join(dir, "rejects.jsonl"))
    expect(documents.map((d) => d.source_file)).toEqual(["a.txt", "legacy.txt", "nested/articles.json", "nested/deeper/lines.jsonl"])
    expect(duplicates).toEqual([{ doc_id: expect.any(String), source_file: "nested/copy.txt", record: 0, kept_doc_id: documents[0].doc_id, kind: "exact", similarity: 1 }])
    expect(rejects.map((r) => [r.source_file, r.record, r.reason])).toEqual([
      ["nested/deeper/lines.jsonl", 1, "invalid_json"],
      ["notes.md", null, "unsupported_format"],
      ["table.csv", null, "missing_text_column"]
    ])
    expect(manifest.counts.records_read).toBe(documents.length + duplicates.length + rejects.length)
    expect(manifest.counts.encodings["windows-1256"]).toBe(1)
    expect(documents[2]).toMatchObject({ title: "عنوان", source: "outlet-a", published: "2016-11-01" })
    expect(existsSync(join(dir, "SHA256SUMS"))).toBe(true)
  })
})
