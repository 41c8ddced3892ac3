import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { tableFromIPC } from "apache-arrow"
import { parse } from "csv-parse/sync"
import { toArrow, toCsv, toJsonl, type Columns } from "../src/write.js"

const columns: Columns = [["name", "string"], ["count", "int"], ["lat", "float"]]
const tricky = fc.constantFrom("\"", ",", "\n", "\r\n", "\t", "\u0000", "=SUM(A1)", "+1", "-2", "@x", "الموصل", "Mosul", "😀", "\u200F", " ")
const text = fc.option(fc.array(fc.oneof(tricky, fc.string({ unit: "grapheme", maxLength: 4 })), { maxLength: 8 }).map((a) => a.join("")), { nil: null })
const rows = fc.array(
  fc.record({
    name: text,
    count: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }),
    lat: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null })
  }),
  { maxLength: 20 }
)

describe("writers", () => {
  it("JSONL round-trips every row", () => {
    fc.assert(
      fc.property(rows, (rs) => {
        const lines = new TextDecoder().decode(toJsonl(columns, rs)).split("\n").filter((l) => l !== "")
        expect(lines.map((l) => JSON.parse(l))).toEqual(rs.map((r) => ({ ...r, lat: Object.is(r.lat, -0) ? 0 : r.lat })))
      })
    )
  })

  it("Arrow (IPC file) round-trips every row with typed columns", () => {
    fc.assert(
      fc.property(rows, (rs) => {
        const table = tableFromIPC(toArrow(columns, rs, { dataset: "t" }))
        expect(table.numRows).toBe(rs.length)
        expect(table.schema.fields.map((f) => String(f.type))).toEqual(["Utf8", "Int32", "Float64"])
        expect(table.schema.metadata.get("dataset")).toBe("t")
        expect(table.toArray().map((r) => ({ ...r.toJSON() }))).toEqual(rs)
      })
    )
  })

  it("CSV round-trips every row through an RFC 4180 parser (nulls as empty cells)", () => {
    fc.assert(
      fc.property(rows, (rs) => {
        const parsed: Array<Record<string, string>> = parse(new TextDecoder().decode(toCsv(columns, rs)), { columns: true })
        expect(parsed).toEqual(rs.map((r) => ({ name: r.name ?? "", count: r.count === null ? "" : String(r.count), lat: r.lat === null ? "" : String(r.lat) })))
      })
    )
  })
})
