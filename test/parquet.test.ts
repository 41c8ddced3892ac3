import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { tableFromIPC } from "apache-arrow"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import pl from "nodejs-polars"
import { readParquet } from "parquet-wasm"
import { ParquetFile } from "../src/parquet.js"
import { encodeTable, type Columns } from "../src/write.js"

const columns: Columns = [["name", "string"], ["count", "int"], ["lat", "float"]]
type Row = { name: string | null; count: number | null; lat: number | null }

const row = fc.record({
  name: fc.option(fc.oneof(fc.constantFrom("", "الموصل", "Mosul", "😀", "\u0000", "a\nb", "\uD800"), fc.string({ unit: "grapheme", maxLength: 6 })), { nil: null }),
  count: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }),
  lat: fc.option(fc.double(), { nil: null })
})
/** Rows cut into chunks, each a row group, as the build cuts a table. */
const chunked = fc.array(fc.array(row, { maxLength: 30 }), { maxLength: 6 })

/** A Parquet file of the chunks, made as sink.ts makes it, with the columns in `withoutStatistics` left without min and max. */
const parquetOf = (chunks: ReadonlyArray<ReadonlyArray<Row>>, withoutStatistics: ReadonlyArray<string> = []) => {
  const file = new ParquetFile(columns, { dataset: "t" })
  const parts = [file.head()]
  for (const chunk of chunks) {
    const group = encodeTable(columns, chunk, withoutStatistics).parquet
    if (group !== null) parts.push(file.rowGroup(group))
  }
  parts.push(file.tail())
  return Buffer.concat(parts)
}

/** What every format gives back: lone surrogates as U+FFFD (UTF-8 cannot hold them). */
const written = (r: Row): Row => ({ ...r, name: r.name === null ? null : r.name.toWellFormed() })

const withParquetFile = <A>(bytes: Uint8Array, use: (path: string) => A): A => {
  const dir = mkdtempSync(join(tmpdir(), "mna-parquet-"))
  try {
    writeFileSync(join(dir, "t.parquet"), bytes)
    return use(join(dir, "t.parquet"))
  } finally {
    rmSync(dir, { recursive: true })
  }
}

describe("Parquet (random rows with nulls, NaN, ±0, extreme integers, Unicode and lone surrogates, in row groups of any size)", () => {
  it("parquet-wasm (arrow-rs) reads back every row with typed columns and the metadata", () => {
    fc.assert(
      fc.property(chunked, (chunks) => {
        const table = tableFromIPC(readParquet(parquetOf(chunks)).intoIPCStream())
        expect(table.schema.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual([["name", "Utf8", true], ["count", "Int32", true], ["lat", "Float64", true]])
        expect(table.schema.metadata.get("dataset")).toBe("t")
        expect(table.toArray().map((r) => ({ ...r.toJSON() }))).toEqual(chunks.flat().map(written))
      })
    )
  })

  it("polars reads back every row", () => {
    fc.assert(
      fc.property(chunked, (chunks) => {
        const rows = chunks.flat()
        const frame = pl.readParquet(Buffer.from(parquetOf(chunks)))
        expect(frame.height).toBe(rows.length)
        if (rows.length > 0) expect(frame.toRecords()).toEqual(rows.map(written))
      }),
      { numRuns: 50 }
    )
  })

  it("row groups a range filter skips by their min and max hold no row it keeps (the same rows as with no statistics)", () => {
    // Parquet orders strings by their UTF-8 bytes (code points), not by UTF-16 units as JavaScript does.
    const order = (a: string | number, b: string | number) =>
      typeof a === "string" || typeof b === "string" ? Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b))) : a < b ? -1 : a > b ? 1 : 0
    const range = <A extends string | number>(value: fc.Arbitrary<A>) => fc.tuple(value, value).map(([a, b]): readonly [A, A] => (order(a, b) <= 0 ? [a, b] : [b, a]))
    const bounds = fc.record({
      name: range(fc.string({ unit: "grapheme", maxLength: 3 })),
      count: range(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
      lat: range(fc.double({ noNaN: true }))
    })
    fc.assert(
      fc.property(chunked, bounds, (chunks, ranges) => {
        const rows = chunks.flat().map(written)
        for (const column of ["name", "count", "lat"] as const) {
          const [low, high] = ranges[column]
          const wanted = rows.filter((r) => r[column] !== null && !Number.isNaN(r[column]) && order(r[column]!, low) >= 0 && order(r[column]!, high) <= 0)
          for (const withoutStatistics of [[], [column]]) {
            const kept = withParquetFile(parquetOf(chunks, withoutStatistics), (path) =>
              pl.scanParquet(path).filter(pl.col(column).gtEq(pl.lit(low)).and(pl.col(column).ltEq(pl.lit(high)))).collectSync()
            )
            expect(kept.height).toBe(wanted.length)
            if (kept.height > 0) expect(kept.toRecords()).toEqual(wanted)
          }
        }
      }),
      { numRuns: 50 }
    )
  })

  it("a table without rows is a file of its schema alone", () => {
    const table = tableFromIPC(readParquet(parquetOf([])).intoIPCStream())
    expect(table.numRows).toBe(0)
    expect(table.schema.fields.map((f) => f.name)).toEqual(["name", "count", "lat"])
  })
})
