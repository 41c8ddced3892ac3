// The floor of `make bench`: read, JSON.parse, NFKC and write JSONL of the same records, nothing else
// (records as raw-records.mjs reads them: .json, .jsonl and .csv parsed, a .txt file one record).
// Plain JavaScript, so it starts as fast as the bundled build does. Usage: node pipeline/floor.mjs <folder>
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { rawFiles, readRecords } from "./raw-records.mjs"

const folder = process.argv[2]
const out = mkdtempSync(join(tmpdir(), "mna-floor-"))
let records = 0
for (const [i, file] of rawFiles(folder).entries()) {
  const parsed = await readRecords(file, readFileSync(join(folder, file), "utf8"))
  const lines = parsed.map((r) => {
    const field = "content" in r ? "content" : "text"
    return JSON.stringify({ ...r, [field]: String(r[field] ?? "").normalize("NFKC") }) + "\n"
  })
  writeFileSync(join(out, `${i}.jsonl`), lines.join(""))
  records += parsed.length
}
const written = readdirSync(out).reduce((n, f) => n + statSync(join(out, f)).size, 0)
const usage = process.resourceUsage()
const cpu_ms = { user: Math.round(usage.userCPUTime / 1000), system: Math.round(usage.systemCPUTime / 1000) }
console.log(JSON.stringify({ records, written_bytes: written, cpu_ms, peak_rss_mb: Math.round(usage.maxRSS / 1024) }))
rmSync(out, { recursive: true })
