import { describe, expect, it } from "vitest"
import { normalQuantile, standardDeviation, wilson } from "../src/stats/proportion.js"
import { drawFor, hash53 } from "../src/stats/seeded-random.js"

describe("Wilson interval", () => {
  it("matches the reference figures: 9/10 -> [0.596, 0.982]", () => {
    const p = wilson(9, 10)
    expect(p.estimate).toBe(0.9)
    expect(p.lower).toBeCloseTo(0.596, 3)
    expect(p.upper).toBeCloseTo(0.982, 3)
  })

  it("gives an upper bound of about 0.114 for 0/30", () => {
    const p = wilson(0, 30)
    expect(p.lower).toBe(0)
    expect(p.upper).toBeCloseTo(0.1135, 3)
  })

  it("is [0, 1] with no estimate when nothing was observed", () => {
    expect(wilson(0, 0)).toEqual({ k: 0, n: 0, estimate: null, lower: 0, upper: 1 })
  })

  it("narrows as the confidence level drops", () => {
    const wide = wilson(5, 20, 0.99)
    const narrow = wilson(5, 20, 0.8)
    expect(narrow.lower).toBeGreaterThan(wide.lower)
    expect(narrow.upper).toBeLessThan(wide.upper)
  })
})

describe("normal quantile", () => {
  it("gives the familiar critical values", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5)
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9)
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5)
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 5)
  })
})

describe("standard deviation", () => {
  it("is the sample standard deviation", () => {
    expect(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138, 3)
    expect(standardDeviation([3])).toBe(0)
  })
})

describe("seeded draws", () => {
  const key = { seed: 7, organism: "o", evaluation: "e", sample: "s", epoch: 0, replicate: 0 }

  it("are a pure function of the key and the draw's name", () => {
    expect(drawFor(key)("x")).toBe(drawFor({ ...key })("x"))
    expect(drawFor(key)("x")).not.toBe(drawFor(key)("y"))
    expect(drawFor(key)("x")).not.toBe(drawFor({ ...key, replicate: 1 })("x"))
    expect(drawFor(key)("x")).not.toBe(drawFor({ ...key, seed: 8 })("x"))
  })

  it("are uniform on [0, 1): decile counts pass a chi-square test", () => {
    const counts = Array.from({ length: 10 }, () => 0)
    const n = 20_000
    for (let i = 0; i < n; i++) {
      const u = drawFor({ ...key, sample: `s${i}` })("u")
      expect(u).toBeGreaterThanOrEqual(0)
      expect(u).toBeLessThan(1)
      const decile = Math.floor(u * 10)
      counts[decile] = (counts[decile] ?? 0) + 1
    }
    const expected = n / 10
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0)
    // 99.9th percentile of chi-square with 9 degrees of freedom.
    expect(chi2).toBeLessThan(27.88)
  })

  it("hash53 is stable across versions (guards reproducibility of stored runs)", () => {
    expect(hash53("evalaudit")).toBe(hash53("evalaudit"))
    expect(hash53("")).toBe(3338908027751811)
  })
})
