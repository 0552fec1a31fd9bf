import { describe, expect, it } from "vitest"
import { normalQuantile, standardDeviation, wilson } from "../src/stats/proportion.js"
import { drawFor } from "../src/stats/seeded-random.js"

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

  it("rare events are not clumped across consecutive sample ids", () => {
    // For 50 draw names, count draws below 0.01 over 2,000 consecutive sample ids: each count
    // is Binomial(2000, 0.01), so the sum of squared standardised deviations is chi-square
    // with 50 degrees of freedom (99.99th percentile: 98.2).
    let chi2 = 0
    for (let name = 0; name < 50; name++) {
      let hits = 0
      for (let i = 0; i < 2000; i++) if (drawFor({ ...key, sample: `probe-${i}` })(`layer#${name}`) < 0.01) hits++
      chi2 += (hits - 20) ** 2 / (2000 * 0.01 * 0.99)
    }
    expect(chi2).toBeLessThan(98.2)
  })

  it("is pinned: stored runs stay reproducible across versions", () => {
    expect(drawFor(key)("x")).toBe(0.37804398115570825)
  })
})
