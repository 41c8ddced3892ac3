// The floor of `make bench`: read, JSON.parse, NFKC and write JSONL of the same records, nothing else.
// Plain JavaScript, so it starts as fast as the bundled build does. Usage: node pipeline/floor.mjs <folder>
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const folder = process.argv[2]
const out = mkdtempSync(join(tmpdir(), "mna-floor-"))
let records = 0
for (const file of readdirSync(folder).sort()) {
  const parsed = JSON.parse(readFileSync(join(folder, file), "utf8"))
  const lines = parsed.map((r) => JSON.stringify({ ...r, content: (r.content ?? r.text ?? "").normalize("NFKC") }) + "\n")
  writeFileSync(join(out, `${file}.jsonl`), lines.join(""))
  records += parsed.length
}
const written = readdirSync(out).reduce((n, f) => n + statSync(join(out, f)).size, 0)
const usage = process.resourceUsage()
const cpu_ms = { user: Math.round(usage.userCPUTime / 1000), system: Math.round(usage.systemCPUTime / 1000) }
console.log(JSON.stringify({ records, written_bytes: written, cpu_ms, peak_rss_mb: Math.round(usage.maxRSS / 1024) }))
rmSync(out, { recursive: true })
