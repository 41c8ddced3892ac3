import { describe, expect, it } from "vitest"
import fc from "fast-check"
import { Histogram } from "../src/datasheet.js"

describe("Histogram", () => {
  it("gives the distribution of the sorted values: mean (one decimal), the value at index ⌊n/2⌋, min and max", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(40), fc.nat(5000)), { minLength: 1, maxLength: 300 }), (values) => {
        const histogram = new Histogram()
        for (const v of values) histogram.add(v)
        const sorted = [...values].sort((a, b) => a - b)
        const mean = Math.round((sorted.reduce((a, b) => a + b, 0) / sorted.length) * 10) / 10
        expect(histogram.distribution()).toEqual({ mean, median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] })
        expect([histogram.count, histogram.sum]).toEqual([values.length, values.reduce((a, b) => a + b, 0)])
      })
    )
  })

  it("is all zeros when empty", () => {
    expect(new Histogram().distribution()).toEqual({ mean: 0, median: 0, min: 0, max: 0 })
  })
})
