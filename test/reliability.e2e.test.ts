import { spawn, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import config from "../pipeline/config.json" with { type: "json" }
import { build, tempDir, encodeWindows1256, readJsonl } from "./helpers.js"


/** The same, without blocking the test worker during a long build. */
const buildAsync = (raw: string, out: string) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn("node_modules/.bin/tsx", ["pipeline/build.ts", "--raw", raw, "--out", out])
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => (stdout += d))
    child.stderr.on("data", (d) => (stderr += d))
    child.on("exit", (status) => resolve({ status, stdout, stderr }))
  })

const ARTICLE = "أعلنت القوات العراقية اليوم تحرير أحياء جديدة في الجانب الأيسر من مدينة الموصل. وقال قائد العمليات إن المعارك مستمرة."
const SEED_SENTENCES = readFileSync("raw/002_c2e5c0be16892a5a.txt", "utf8").split(/(?<=\.)\s+/u)
/** A distinct article for each fixture, so that none is a copy of another. */
const article = (k: number) => SEED_SENTENCES.slice(k * 3, k * 3 + 3).join(" ")
const utf8 = (s: string) => Buffer.from(s, "utf8")

/** Each bad or awkward input, the file(s) it is written as, and what the build must do with it. */
const FIXTURES: Array<{ readonly kind: string; readonly write: (raw: string) => void; readonly expect: { readonly file: string; readonly kept?: boolean; readonly reject?: string } }> = [
  {
    kind: "invalid UTF-8 bytes inside Arabic text",
    write: (raw) => writeFileSync(join(raw, "broken-utf8.txt"), Buffer.concat([utf8(article(1).slice(0, 40)), Buffer.from([0xff, 0xfe]), utf8(article(1).slice(40))])),
    expect: { file: "broken-utf8.txt", kept: true }
  },
  { kind: "a Windows-1256 file", write: (raw) => writeFileSync(join(raw, "legacy-1256.txt"), encodeWindows1256(article(2).replace(/[^\u0600-\u06FF\s.،]/gu, ""))), expect: { file: "legacy-1256.txt", kept: true } },
  {
    kind: "UTF-16 with BOM",
    write: (raw) => writeFileSync(join(raw, "utf16.txt"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(article(3), "utf16le")])),
    expect: { file: "utf16.txt", kept: true }
  },
  { kind: "a binary file named .txt", write: (raw) => writeFileSync(join(raw, "binary.txt"), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0x00, 0x13])), expect: { file: "binary.txt", reject: "binary" } },
  { kind: "an empty file", write: (raw) => writeFileSync(join(raw, "empty.txt"), ""), expect: { file: "empty.txt", reject: "empty_text" } },
  { kind: "a whitespace-only file", write: (raw) => writeFileSync(join(raw, "blank.txt"), " \n\t\n  "), expect: { file: "blank.txt", reject: "empty_text" } },
  { kind: "a JSON file that is an object, not an array", write: (raw) => writeFileSync(join(raw, "object.json"), JSON.stringify({ text: ARTICLE })), expect: { file: "object.json", reject: "json_not_array" } },
  {
    kind: "a JSONL file with one broken line among good ones",
    write: (raw) => writeFileSync(join(raw, "lines.jsonl"), `${JSON.stringify({ text: article(4) })}\n{"text": "مقطوع\n${JSON.stringify({ text: article(5) })}\n`),
    expect: { file: "lines.jsonl", kept: true, reject: "invalid_json" }
  },
  { kind: "CSV without a text column", write: (raw) => writeFileSync(join(raw, "no-text.csv"), `title,body\nعنوان,"${ARTICLE}"\n`), expect: { file: "no-text.csv", reject: "missing_text_column" } },
  { kind: "CSV with an unbalanced quote", write: (raw) => writeFileSync(join(raw, "broken-quote.csv"), `title,text\nعنوان,"${ARTICLE}\n`), expect: { file: "broken-quote.csv", reject: "invalid_csv" } },
  {
    kind: "an HTML page saved as .txt",
    write: (raw) =>
      writeFileSync(
        join(raw, "page.txt"),
        `<!DOCTYPE html><html><head><title>خبر</title><script>var tracker = "الموصل";</script><style>p{color:red}</style></head><body><div class="nav"><a href="/">الرئيسية</a></div><article><h1>معركة الموصل</h1><p>${ARTICLE}</p><p>وأكد مصدر أمني أن &quot;التقدم&quot; مستمر&nbsp;نحو المدينة القديمة.</p></article></body></html>`
      ),
    expect: { file: "page.txt", kept: true }
  },
  { kind: "text in English", write: (raw) => writeFileSync(join(raw, "english.txt"), "Iraqi forces said on Monday they had retaken several districts of eastern Mosul from Islamic State."), expect: { file: "english.txt", reject: "not_arabic" } },
  {
    kind: "text in Persian",
    write: (raw) => writeFileSync(join(raw, "persian.txt"), "نیروهای عراقی روز دوشنبه گفتند که چند محله در شرق موصل را از گروه داعش پس گرفته‌اند. پیشروی نیروها به سمت شهر قدیمی ادامه دارد و گزارش‌ها از درگیری‌های سنگین خبر می‌دهند."),
    expect: { file: "persian.txt", reject: "not_arabic" }
  },
  { kind: "bidi control and zero-width characters", write: (raw) => writeFileSync(join(raw, "controls.txt"), `\u202B${article(6).replace(/ /gu, " \u200B")}\u202C\u200F`), expect: { file: "controls.txt", kept: true } },
  {
    kind: "the same file name in two folders",
    write: (raw) => {
      mkdirSync(join(raw, "a"))
      mkdirSync(join(raw, "b"))
      writeFileSync(join(raw, "a", "article.txt"), article(7))
      writeFileSync(join(raw, "b", "article.txt"), article(8))
    },
    expect: { file: "a/article.txt", kept: true }
  },
  {
    kind: "the same file name in two folders (the other one)",
    write: () => undefined,
    expect: { file: "b/article.txt", kept: true }
  },
  { kind: "a symbolic link pointing outside RAW", write: (raw) => symlinkSync(join(process.cwd(), "raw", "000_72a975d9df36a078.txt"), join(raw, "outside.txt")), expect: { file: "outside.txt", reject: "symlink_outside_raw" } },
  { kind: "a file name with spaces and Arabic letters", write: (raw) => writeFileSync(join(raw, "خبر عن الموصل 1.txt"), article(9)), expect: { file: "خبر عن الموصل 1.txt", kept: true } },
  {
    kind: "a single 30 MB line",
    write: (raw) => writeFileSync(join(raw, "long-line.txt"), "تقدم الجيش العراقي في أحياء الموصل الشرقية، ".repeat(Math.ceil(30_000_000 / 80))),
    expect: { file: "long-line.txt", kept: true }
  }
]

describe("bad and awkward input", () => {
  const raw = tempDir("mna-bad-raw-")
  const out = tempDir("mna-bad-out-")
  let result: Awaited<ReturnType<typeof buildAsync>>
  let documents: Array<{ source_file: string; text: string; n_sentences: number }>
  let rejects: Array<{ source_file: string; record: number | null; reason: string; message: string }>

  beforeAll(async () => {
    for (const fixture of FIXTURES) fixture.write(raw)
    result = await buildAsync(raw, out)
    const dir = join(out, config.dataset, config.version)
    documents = readJsonl(join(dir, "documents.jsonl"))
    rejects = readJsonl(join(dir, "rejects.jsonl"))
  }, 300_000)

  it("builds, lists rejects by reason, and exits 0", () => {
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/rejected\s+\d+ \(.*binary 1.*\)/u)
  })

  it.each(FIXTURES.map((f) => [f.kind, f.expect] as const))("%s", (_, expected) => {
    const kept = documents.filter((d) => d.source_file === expected.file)
    const rejected = rejects.filter((r) => r.source_file === expected.file)
    if (expected.kept) expect(kept.length).toBeGreaterThan(0)
    else expect(kept).toEqual([])
    if (expected.reject !== undefined) {
      expect(rejected.map((r) => r.reason)).toContain(expected.reject)
      for (const r of rejected) expect(r.message.length).toBeGreaterThan(5)
    } else expect(rejected).toEqual([])
  })

  it("keeps the article text of an HTML page, without markup or scripts", () => {
    const page = documents.find((d) => d.source_file === "page.txt")!
    expect(page.text).toContain("وأكد مصدر أمني أن \"التقدم\" مستمر نحو المدينة القديمة.")
    expect(page.text).not.toMatch(/<|tracker|color:red|&quot;/u)
  })

  it("removes bidi and zero-width controls", () => {
    expect(documents.find((d) => d.source_file === "controls.txt")!.text).toBe(article(6))
  })

  it("accounts for every record: read = kept + duplicates + rejects", () => {
    const manifest = JSON.parse(readFileSync(join(out, config.dataset, config.version, "manifest.json"), "utf8"))
    expect(manifest.accounting.holds).toBe(true)
    expect(manifest.counts.records_read).toBe(manifest.counts.documents + (manifest.counts.duplicates.exact ?? 0) + (manifest.counts.duplicates.near ?? 0) + manifest.counts.rejects)
  })

  it("says in one line, exiting non-zero, when nothing could be built", () => {
    const nothing = tempDir("mna-nothing-")
    writeFileSync(join(nothing, "empty.txt"), "")
    const failed = build(nothing, tempDir("mna-nothing-out-"))
    expect(failed.status).toBe(1)
    expect(failed.stderr.trim().split("\n")).toHaveLength(1)
    expect(failed.stderr).toMatch(/^error: no usable article/u)
  })
})

describe("crash safety", () => {
  it("never leaves a partial version behind when builds are killed, and the next build succeeds", async () => {
    const out = tempDir("mna-kill-")
    const dir = join(out, config.dataset, config.version)
    const complete = () => {
      if (!existsSync(dir)) return true
      const files = readdirSync(dir)
      if (!files.includes("SHA256SUMS")) return false
      return spawnSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: dir }).status === 0
    }
    let seed = 42
    const nextDelay = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return 200 + (seed % 2800)
    }
    for (let round = 0; round < 20; round++) {
      // One process (tsx as a loader, not its launcher) so that SIGKILL ends the build itself.
      const child = spawn(process.execPath, ["--import", "tsx", "pipeline/build.ts", "--raw", "raw", "--out", out, "--force"], { stdio: "ignore" })
      const exited = new Promise((resolve) => child.once("exit", resolve))
      await new Promise((resolve) => setTimeout(resolve, nextDelay()))
      child.kill("SIGKILL")
      await exited
      expect(complete()).toBe(true)
    }
    const last = build("raw", out, "--force")
    expect(last.status).toBe(0)
    expect(complete()).toBe(true)
    expect(readdirSync(join(out, config.dataset))).toEqual([config.version])
  }, 300_000)
})
