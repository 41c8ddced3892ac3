import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { tableFromIPC } from "apache-arrow"
import { parse } from "csv-parse/sync"
import { ArrowFile } from "../src/sink.js"
import { arrowSchema, csvHeader, encodeTable, type Columns } from "../src/write.js"

const columns: Columns = [["name", "string"], ["count", "int"], ["lat", "float"]]
const tricky = fc.constantFrom("\"", ",", "\n", "\r\n", "\t", "\u0000", "\\", "\b\f", "\u001b", "\u007f", "=SUM(A1)", "+1", "-2", "@x", "الموصل", "Mosul", "😀", "\u200F", "\u202E", " ", "\uD800", "\uDC00x")
const piece = fc.oneof(tricky, fc.string({ unit: "grapheme", maxLength: 4 }))
/** Short cells, and long ones (escaped by another path, see `LONG_CELL`). */
const text = fc.option(fc.oneof(fc.array(piece, { maxLength: 8 }), fc.array(piece, { minLength: 40, maxLength: 120 })).map((a) => a.join("")), { nil: null })
/** An Arrow file of the chunks' record batches, made as sink.ts makes it, read back by apache-arrow. */
const arrowOf = (chunks: ReadonlyArray<ReadonlyArray<object>>) => {
  const file = new ArrowFile(arrowSchema(columns, { dataset: "t" }))
  return tableFromIPC(Buffer.concat([file.head(), ...chunks.map((chunk) => file.batch(encodeTable(columns, chunk).arrow)), file.tail()]))
}

/** What every format gives back: the text with lone surrogates as U+FFFD (UTF-8 cannot hold them). */
const written = <A extends { name: string | null }>(r: A): A => ({ ...r, name: r.name === null ? null : r.name.toWellFormed() })

const rows = fc.array(
  fc.record({
    name: text,
    count: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }),
    lat: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null })
  }),
  { maxLength: 20 }
)

describe("writers (random Unicode rows: quotes, backslashes, commas, newlines, tabs and other controls, lone surrogates, RTL and LTR, leading = + - @)", () => {
  it("JSONL round-trips every row", () => {
    fc.assert(
      fc.property(rows, (rs) => {
        const lines = new TextDecoder().decode(encodeTable(columns, rs).jsonl).split("\n").filter((l) => l !== "")
        expect(lines.map((l) => JSON.parse(l))).toEqual(rs.map((r) => ({ ...written(r), lat: Object.is(r.lat, -0) ? 0 : r.lat })))
      })
    )
  })

  it("JSONL is JSON.stringify of each row, byte for byte (Arabic not escaped)", () => {
    fc.assert(
      fc.property(rows, (rs) => {
        expect(new TextDecoder().decode(encodeTable(columns, rs).jsonl)).toBe(rs.map((r) => JSON.stringify(written(r)) + "\n").join(""))
      })
    )
  })

  it("Arrow (a file of record batches, one per chunk) round-trips every row with typed columns", () => {
    fc.assert(
      fc.property(fc.array(rows, { minLength: 1, maxLength: 4 }), (chunks) => {
        const table = arrowOf(chunks)
        const rs = chunks.flat()
        expect(table.numRows).toBe(rs.length)
        expect(table.schema.fields.map((f) => String(f.type))).toEqual(["Utf8", "Int32", "Float64"])
        expect(table.schema.metadata.get("dataset")).toBe("t")
        expect(table.toArray().map((r) => ({ ...r.toJSON() }))).toEqual(rs.map(written))
      })
    )
  })

  it("a table past the builders' first capacity (1,000 rows, texts of up to 5,000 characters) comes back whole in JSONL and Arrow", () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ name: i % 7 === 0 ? null : "الموصل، \"نينوى\"\n".repeat(i % 500), count: i, lat: i / 3 }))
    const encoded = encodeTable(columns, many)
    expect(new TextDecoder().decode(encoded.jsonl)).toBe(many.map((r) => JSON.stringify(r) + "\n").join(""))
    expect(arrowOf([many]).toArray().map((r) => ({ ...r.toJSON() }))).toEqual(many)
  })

  it("CSV round-trips every row through an RFC 4180 parser (nulls as empty cells)", () => {
    fc.assert(
      fc.property(rows, (rs) => {
        const parsed: Array<Record<string, string>> = parse(new TextDecoder().decode(Buffer.concat([csvHeader(columns), encodeTable(columns, rs).csv])), { columns: true })
        expect(parsed).toEqual(rs.map(written).map((r) => ({ name: r.name ?? "", count: r.count === null ? "" : String(r.count), lat: r.lat === null ? "" : String(r.lat) })))
      })
    )
  })
})
