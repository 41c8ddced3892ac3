// The records of a raw folder as plain objects, for `make bench`'s floor and its ×4 copies: the files the
// build reads (every file under the folder, in sorted order) in its four formats, read as UTF-8, with no
// checks. A file or line that does not parse gives no records; the build rejects it with its reason.
import { readdirSync, statSync } from "node:fs"
import { extname, join, sep } from "node:path"

export const rawFiles = (folder) =>
  readdirSync(folder, { recursive: true })
    .map((file) => file.split(sep).join("/"))
    .filter((file) => statSync(join(folder, file), { throwIfNoEntry: false })?.isFile() === true)
    .sort()

const parsed = (json) => {
  try {
    return [JSON.parse(json)]
  } catch {
    return []
  }
}

export const formatOf = (file) => extname(file).toLowerCase()

const isRecord = (value) => value !== null && typeof value === "object" && !Array.isArray(value)

const parsedRecords = async (file, text) => {
  switch (formatOf(file)) {
    case ".json":
      return parsed(text).filter(Array.isArray).flat()
    case ".jsonl":
      return text.split("\n").flatMap((line) => (line.trim() === "" ? [] : parsed(line)))
    case ".csv": {
      const { parse } = await import("csv-parse/sync")
      try {
        return parse(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true })
      } catch {
        return []
      }
    }
    case ".txt":
      return [{ text }]
    default:
      return []
  }
}

export const readRecords = async (file, text) => (await parsedRecords(file, text)).filter(isRecord)
