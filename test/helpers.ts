import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"
import config from "../pipeline/config.json" with { type: "json" }
import { encodeSingleByte } from "../src/normalize.js"

import { readJsonl as readRows } from "../pipeline/evaluation.js"

/** Rows of a JSONL file, untyped as JSON.parse gives them. */
export const readJsonl = (file: string) => readRows<any>(file)

/** Runs the dataset build as a user would, through the CLI. */
export const build = (raw: string, out: string, ...extra: Array<string>) =>
  spawnSync("node_modules/.bin/tsx", ["pipeline/build.ts", "--raw", raw, "--out", out, ...extra], { encoding: "utf8", maxBuffer: 1 << 26 })

export const versionDir = (out: string) => join(out, config.dataset, config.version)

/** Encodes text in Windows-1256, for fixtures of legacy files. */
export const encodeWindows1256 = (text: string): Uint8Array => {
  const bytes = encodeSingleByte("windows-1256", text)
  if (bytes === null) throw new Error(`not all in Windows-1256: ${text}`)
  return bytes
}

const tempDirs: Array<string> = []

/** A new temporary folder, removed when the test file's tests are done (builds write hundreds of MB). */
export const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  tempDirs.push(dir)
  return dir
}

afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
