/**
 * `make release`: packages the built version as out/releases/<dataset>-<version>.tar.gz with its
 * .sha256. The tarball is reproducible: entries sorted, times, owners and modes fixed.
 */
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { parseArgs } from "node:util"
import * as tar from "tar"
import config from "./config.json" with { type: "json" }

const { values } = parseArgs({ options: { out: { type: "string", default: "out" } } })
const name = `${config.dataset}-${config.version}`
const versionDir = join(values.out, config.dataset, config.version)
if (!existsSync(join(versionDir, "SHA256SUMS"))) {
  console.error(`error: ${versionDir} is not built: run \`make dataset\` first`)
  process.exit(2)
}
const releases = join(values.out, "releases")
mkdirSync(releases, { recursive: true })
const tarball = join(releases, `${name}.tar.gz`)
const files = readdirSync(versionDir).sort()

await tar.create(
  { gzip: { level: 9 }, file: tarball, cwd: versionDir, portable: true, noMtime: false, mtime: new Date(0), prefix: name, noPax: true },
  files
)
const hash = createHash("sha256").update(readFileSync(tarball)).digest("hex")
writeFileSync(`${tarball}.sha256`, `${hash}  ${name}.tar.gz\n`)
console.log(`${tarball}\n${hash}  ${files.length} files`)
