import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { fromCodePoints, fromUnits } from "../src/chars.js"

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
