import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { codePointSlicer, fromCodePoints, fromUnits } from "../src/chars.js"

// Any UTF-16 unit, lone surrogates too; astral characters as pairs.
const unit = fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u))
const text = fc.oneof(fc.string({ unit, maxLength: 60 }), fc.string({ unit: "binary", maxLength: 60 }), fc.string({ unit, minLength: 4000, maxLength: 9000 }))

describe("strings from units and code points", () => {
  it("give back the text they were taken from, short or long", () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 7 }), (s, offset) => {
        const units = new Uint16Array(offset + s.length)
        for (let i = 0; i < s.length; i++) units[offset + i] = s.charCodeAt(i)
        expect(fromUnits(units.subarray(offset))).toBe(s)
        expect(fromCodePoints(Int32Array.from([...s], (c) => c.codePointAt(0)!))).toBe(s)
      }),
      { numRuns: 300 }
    )
  })
})

describe("codePointSlicer", () => {
  it("slices by code points, told their count or not", () => {
    const short = fc.oneof(fc.string({ unit, maxLength: 60 }), fc.string({ unit: "binary", maxLength: 60 }))
    fc.assert(
      fc.property(short, fc.nat(), fc.nat(), (s, a, b) => {
        const points = [...s]
        const [start, end] = [a % (points.length + 1), b % (points.length + 1)].sort((x, y) => x - y)
        const expected = points.slice(start, end).join("")
        expect(codePointSlicer(s)(start, end)).toBe(expected)
        expect(codePointSlicer(s, points.length)(start, end)).toBe(expected)
      })
    )
  })
})
