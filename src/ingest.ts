/**
 * Ingest: files of RAW to raw records. Decode bytes, parse a file's text into records or rejects.
 * Free of Effect, so worker threads load it fast; raw-folder.ts walks RAW.
 */
import { isUtf8, transcode } from "node:buffer"
import { parse as parseCsv } from "csv-parse/sync"
import { sha256 } from "./dedup.js"
import type { RawField, RawRecord, Reject, RejectReason } from "./types.js"

export const SUPPORTED_EXTENSIONS = [".txt", ".json", ".jsonl", ".csv"] as const

export interface Decoded {
  readonly text: string
  readonly encoding: string
}

const hasPrefix = (bytes: Uint8Array, prefix: ReadonlyArray<number>) => prefix.every((b, i) => bytes[i] === b)

/** UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1256; null for binary data. */
export const decode = (bytes: Uint8Array): Decoded | null => {
  if (hasPrefix(bytes, [0xef, 0xbb, 0xbf])) return { text: new TextDecoder("utf-8").decode(bytes), encoding: "utf-8-bom" }
  if (hasPrefix(bytes, [0xff, 0xfe])) return { text: new TextDecoder("utf-16le").decode(bytes), encoding: "utf-16le" }
  if (hasPrefix(bytes, [0xfe, 0xff])) return { text: new TextDecoder("utf-16be").decode(bytes), encoding: "utf-16be" }
  if (bytes.includes(0)) return null
  // ICU's transcoder and a copy into the string: 3.5× TextDecoder's speed on Arabic text.
  if (isUtf8(bytes)) return { text: transcode(bytes, "utf8", "ucs2").toString("utf16le"), encoding: "utf-8" }
  // Mostly valid UTF-8 with a few broken bytes stays UTF-8 (broken bytes become U+FFFD);
  // otherwise the file is in the Arabic Windows code page.
  const lossy = new TextDecoder("utf-8").decode(bytes)
  const broken = (lossy.match(/\uFFFD/gu) ?? []).length
  const multibyte = (lossy.match(/[\u0080-\uFFFF]/gu) ?? []).length - broken
  if (multibyte > 0 && broken / (broken + multibyte) < 0.05) return { text: lossy, encoding: "utf-8-repaired" }
  return { text: new TextDecoder("windows-1256").decode(bytes), encoding: "windows-1256" }
}

const reject = (sourceFile: string, record: number | null, reason: RejectReason, message: string): Reject => ({
  source_file: sourceFile,
  record,
  reason,
  message
})

const field = (value: string): RawField => ({ value, rawBase: 0 })

const optionalString = (value: unknown): string | null =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : typeof value === "number" ? String(value) : null

const fromObject = (sourceFile: string, record: number, value: unknown, encoding: string): RawRecord | Reject => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return reject(sourceFile, record, "not_an_object", "record is not an object with a text field")
  }
  const o = value as Record<string, unknown>
  const text = typeof o.text === "string" ? o.text : typeof o.content === "string" ? o.content : null
  if (text === null || text.trim() === "") return reject(sourceFile, record, "missing_text", "record has no `text` or `content`")
  const title = typeof o.title === "string" && o.title.trim() !== "" ? field(o.title) : null
  return {
    sourceFile,
    record,
    text: field(text),
    title,
    source: optionalString(o.source),
    url: optionalString(o.url),
    author: optionalString(o.author),
    published: optionalString(o.published) ?? optionalString(o.date_extracted),
    encoding
  }
}

const HEADLINE_MAX_WORDS = 25

/** The first line of a .txt file is its title when it reads as a headline: short, not a sentence run-on. */
export const splitTitle = (text: string): { title: RawField | null; body: RawField } => {
  const newline = text.indexOf("\n")
  if (newline < 0) return { title: null, body: field(text) }
  const first = text.slice(0, newline).trim()
  const rest = text.slice(newline + 1)
  const words = first.split(/\s+/u).filter((w) => w !== "").length
  const readsAsHeadline =
    words > 0 && words <= HEADLINE_MAX_WORDS && !/[.:،,؛]$/u.test(first) && /[\p{L}]/u.test(rest)
  if (!readsAsHeadline) return { title: null, body: field(text) }
  const firstLine = text.slice(0, newline)
  return { title: field(firstLine), body: { value: rest, rawBase: [...firstLine].length + 1 } }
}

/** Parses one decoded file into records and rejects, in file order. */
export const parseFile = (sourceFile: string, decoded: Decoded): Array<RawRecord | Reject> => {
  const { text, encoding } = decoded
  const extension = sourceFile.slice(sourceFile.lastIndexOf(".")).toLowerCase()
  switch (extension) {
    case ".txt": {
      if (text.trim() === "") return [reject(sourceFile, 0, "empty_text", "file is empty or whitespace only")]
      const { title, body } = splitTitle(text)
      return [{ sourceFile, record: 0, text: body, title, source: null, url: null, author: null, published: null, encoding }]
    }
    case ".json": {
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch (e) {
        return [reject(sourceFile, null, "invalid_json", `not valid JSON: ${(e as Error).message}`)]
      }
      if (!Array.isArray(value)) return [reject(sourceFile, null, "json_not_array", "a .json file must hold an array of articles")]
      return value.map((item, i) => fromObject(sourceFile, i, item, encoding))
    }
    case ".jsonl": {
      const out: Array<RawRecord | Reject> = []
      let record = 0
      for (const line of text.split("\n")) {
        if (line.trim() === "") continue
        try {
          out.push(fromObject(sourceFile, record, JSON.parse(line), encoding))
        } catch (e) {
          out.push(reject(sourceFile, record, "invalid_json", `line is not valid JSON: ${(e as Error).message}`))
        }
        record++
      }
      return out
    }
    case ".csv": {
      let rows: Array<Record<string, string>>
      try {
        rows = parseCsv(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true })
      } catch (e) {
        return [reject(sourceFile, null, "invalid_csv", `not valid CSV: ${(e as Error).message}`)]
      }
      const header = rows.length > 0 ? Object.keys(rows[0]) : []
      if (rows.length > 0 && !header.includes("text") && !header.includes("content")) {
        return [reject(sourceFile, null, "missing_text_column", `CSV header has no \`text\` or \`content\` column (has: ${header.join(", ")})`)]
      }
      return rows.map((row, i) => fromObject(sourceFile, i, row, encoding))
    }
    default:
      return [reject(sourceFile, null, "unsupported_format", `not one of ${SUPPORTED_EXTENSIONS.join(" ")}`)]
  }
}

export const isReject = (r: object): r is Reject => "reason" in r

export interface FileRecords {
  readonly file: string
  /** SHA-256 of the file's bytes, null when it was not read. */
  readonly sha256: string | null
  readonly items: ReadonlyArray<RawRecord | Reject>
}

/**
 * Records and rejects of one file of RAW, given where its real path leads (`real`, null when it
 * cannot be resolved) and its bytes (or why they could not be read). A symbolic link that leads
 * outside RAW is never read.
 */
export const fileRecords = (relative: string, realRoot: string, real: string | null, read: () => Uint8Array): FileRecords => {
  if (real === null || !(real === realRoot || real.startsWith(realRoot + "/"))) {
    return { file: relative, sha256: null, items: [reject(relative, null, "symlink_outside_raw", "symbolic link to a file outside the input folder: not followed")] }
  }
  let bytes: Uint8Array
  try {
    bytes = read()
  } catch (error) {
    return { file: relative, sha256: null, items: [reject(relative, null, "unreadable", error instanceof Error ? error.message : String(error))] }
  }
  const hash = sha256(bytes)
  const decoded = decode(bytes)
  if (decoded === null) return { file: relative, sha256: hash, items: [reject(relative, null, "binary", "file holds binary data, not text")] }
  return { file: relative, sha256: hash, items: parseFile(relative, decoded) }
}
