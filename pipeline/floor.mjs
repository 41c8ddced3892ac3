// The floor of `make bench`: read, JSON.parse, NFKC and write JSONL of the same records, nothing else.
// Plain JavaScript, so it starts as fast as the bundled build does. Usage: node pipeline/floor.mjs <folder>
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
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
console.log(JSON.stringify({ records, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }))
rmSync(out, { recursive: true })
