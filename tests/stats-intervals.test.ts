import { describe, expect, it } from "vitest"
import { inverseRegularizedBeta, logGamma, regularizedBeta } from "../src/stats/beta.js"
import { biasInterval, meanInterval } from "../src/stats/bias.js"
import { binomialLowerTail, binomialPmf, binomialUpperTail } from "../src/stats/binomial.js"
import { clusteredMean } from "../src/stats/clustered.js"
import { discordantCounts, pairedComparison } from "../src/stats/paired.js"
import {
  clopperPearson,
  intervalCoverage,
  normalQuantile,
  proportionInterval,
  wilson,
  type IntervalMethod
} from "../src/stats/proportion.js"
import { seededStream } from "../src/stats/seeded-stream.js"
import { studentTCdf, studentTQuantile } from "../src/stats/student-t.js"

describe("special functions", () => {
  it("log-gamma matches factorials and Gamma(1/2) = sqrt(pi)", () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12)
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 11)
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12)
    expect(logGamma(1)).toBeCloseTo(0, 13)
  })

  it("the incomplete beta function has its closed forms: I_x(1,1) = x, I_x(a,1) = x^a, I_x(1,b) = 1-(1-x)^b", () => {
    for (const x of [0.01, 0.3, 0.5, 0.77, 0.999]) {
      expect(regularizedBeta(x, 1, 1)).toBeCloseTo(x, 13)
      expect(regularizedBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 13)
      expect(regularizedBeta(x, 1, 7)).toBeCloseTo(1 - (1 - x) ** 7, 13)
    }
    expect(regularizedBeta(0.5, 2, 2)).toBeCloseTo(0.5, 14)
    expect(regularizedBeta(0, 2, 3)).toBe(0)
    expect(regularizedBeta(1, 2, 3)).toBe(1)
  })

  it("the incomplete beta function is the binomial tail the pmf sum gives: P(X >= k) = I_p(k, n - k + 1)", () => {
    // Two independent routes (continued fraction vs summed log-pmf), up to n = 100,000.
    const cases: Array<[number, number, number]> = [
      [1, 10, 0.1],
      [6, 10, 0.5],
      [30, 200, 0.2],
      [520, 1000, 0.5],
      [1100, 100_000, 0.01],
      [50_300, 100_000, 0.5]
    ]
    for (const [k, n, p] of cases) {
      const beta = regularizedBeta(p, k, n - k + 1)
      const sum = binomialUpperTail(k, n, p)
      expect(Math.abs(beta - sum)).toBeLessThan(1e-9 * Math.max(1, beta) + 1e-12)
    }
  })

  it("the inverse incomplete beta function inverts it", () => {
    for (const [a, b] of [[0.5, 0.5], [2, 5], [9, 2], [1, 100_000], [40, 60]] as const) {
      for (const y of [1e-6, 0.025, 0.5, 0.975]) {
        const x = inverseRegularizedBeta(y, a, b)
        expect(Math.abs(regularizedBeta(x, a, b) - y)).toBeLessThan(1e-12)
      }
    }
  })
})

describe("Student t", () => {
  it("gives the tabulated quantiles", () => {
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776445, 5)
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706205, 5)
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042272, 5)
    expect(studentTQuantile(0.995, 10)).toBeCloseTo(3.169273, 5)
    expect(studentTQuantile(0.9, 2)).toBeCloseTo(1.885618, 5)
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.776445, 5)
    expect(studentTQuantile(0.5, 7)).toBe(0)
  })

  it("tends to the normal quantile as df grows", () => {
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(normalQuantile(0.975), 5)
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975))
  })

  it("its CDF inverts the quantile and has the Cauchy form at df = 1", () => {
    for (const df of [1, 3, 12.5, 200]) {
      for (const p of [0.01, 0.2, 0.9, 0.999]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10)
    }
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12) // 1/2 + atan(1)/pi
    expect(studentTCdf(0, 5)).toBe(0.5)
  })
})

describe("Clopper-Pearson interval", () => {
  it("matches the reference figures: 9/10 -> [0.555, 0.997]", () => {
    const p = clopperPearson(9, 10)
    expect(p.estimate).toBe(0.9)
    expect(p.lower).toBeCloseTo(0.555, 3)
    expect(p.upper).toBeCloseTo(0.997, 3)
  })

  it("has the closed forms at k = 0 and k = n", () => {
    expect(clopperPearson(0, 30).lower).toBe(0)
    expect(clopperPearson(0, 30).upper).toBeCloseTo(1 - 0.025 ** (1 / 30), 14) // 0.1157
    expect(clopperPearson(30, 30).lower).toBeCloseTo(0.025 ** (1 / 30), 14)
    expect(clopperPearson(30, 30).upper).toBe(1)
    expect(clopperPearson(0, 0)).toEqual({ k: 0, n: 0, estimate: null, lower: 0, upper: 1 })
  })

  it("puts exactly alpha/2 in each binomial tail at its bounds (checked by summing the pmf)", () => {
    for (const [k, n] of [[1, 10], [9, 10], [3, 50], [150, 300], [1, 100_000]] as const) {
      const { lower, upper } = clopperPearson(k, n)
      expect(binomialUpperTail(k, n, lower)).toBeCloseTo(0.025, 9)
      expect(binomialLowerTail(k, n, upper)).toBeCloseTo(0.025, 9)
    }
  })

  it("is wider than Wilson and narrows as the confidence drops", () => {
    for (const [k, n] of [[0, 20], [3, 20], [10, 20], [45, 50]] as const) {
      const cp = clopperPearson(k, n)
      const w = wilson(k, n)
      expect(cp.lower).toBeLessThanOrEqual(w.lower)
      expect(cp.upper).toBeGreaterThanOrEqual(w.upper)
    }
    expect(clopperPearson(5, 20, 0.8).upper).toBeLessThan(clopperPearson(5, 20, 0.99).upper)
  })

  it("proportionInterval dispatches on the method", () => {
    expect(proportionInterval("wilson", 9, 10, 0.95)).toEqual(wilson(9, 10))
    expect(proportionInterval("clopper-pearson", 9, 10, 0.95)).toEqual(clopperPearson(9, 10))
    const w = proportionInterval("wilson", 9, 10, 0.95)
    expect([w.lower, w.upper].map((x) => Number(x.toFixed(3)))).toEqual([0.596, 0.982])
  })
})

describe("coverage of 95% intervals", () => {
  // Exact: coverage at (n, p) is a sum of binomial pmf over the counts whose interval contains
  // p, so these figures carry no Monte Carlo error and cannot flake.
  const NS = [20, 50, 100, 300, 1000] as const
  const PS = [0.05, 0.1, 0.3, 0.5] as const
  const grid = (method: IntervalMethod) => NS.flatMap((n) => PS.map((p) => ({ n, p, coverage: intervalCoverage(method, n, p) })))
  const wilsonGrid = grid("wilson")
  const cpGrid = grid("clopper-pearson")
  const average = (cells: ReadonlyArray<{ coverage: number }>) => cells.reduce((s, c) => s + c.coverage, 0) / cells.length

  it("Wilson averages within 1.5 points of 95% over the grid (exact: 0.951)", () => {
    expect(Math.abs(average(wilsonGrid) - 0.95)).toBeLessThan(0.015)
  })

  it("Wilson under-covers by less than 1.5 points in every cell but n=20, p=0.05 (its known dip)", () => {
    // Wilson's coverage dips for p near 0 when np is small (Brown, Cai & DasGupta 2001, Statistical
    // Science 16(2), section 4.1.2): at n = 20, p = 0.05 (np = 1) it is 0.924, so that cell is left
    // out. Elsewhere the lowest is 0.9351 (n = 50, p = 0.5); over-coverage (up to 0.975 at n = 20,
    // p = 0.3) is the lattice of counts, not a failure.
    const low = wilsonGrid.filter((c) => !(c.n === 20 && c.p === 0.05) && c.coverage <= 0.95 - 0.015)
    expect(low.map((c) => `n=${c.n} p=${c.p}: ${c.coverage.toFixed(4)}`)).toEqual([])
    expect(wilsonGrid.find((c) => c.n === 20 && c.p === 0.05)?.coverage).toBeCloseTo(0.9245, 4)
  })

  it("Wilson's coverage averaged over p within +-20% of each grid rate is within 1.5 points in every cell", () => {
    // Point coverage oscillates with p (the lattice of counts); the local average, Brown et al.'s
    // smoothed view, is what "close to nominal" means. 21 rates per cell, including the dip cell.
    const off: Array<string> = []
    for (const n of NS) {
      for (const p of PS) {
        let sum = 0
        for (let i = 0; i <= 20; i++) sum += intervalCoverage("wilson", n, p * (0.8 + (0.4 * i) / 20))
        const local = sum / 21
        if (Math.abs(local - 0.95) >= 0.015) off.push(`n=${n} p=${p}: ${local.toFixed(4)}`)
      }
    }
    expect(off).toEqual([])
  })

  it("Clopper-Pearson covers at least 95% in every cell (it is exact) and averages within 2.5 points", () => {
    const below = cpGrid.filter((c) => c.coverage < 0.95 - 1e-9)
    expect(below.map((c) => `n=${c.n} p=${c.p}: ${c.coverage.toFixed(4)}`)).toEqual([])
    // Conservative: about 96.7% on this grid.
    expect(average(cpGrid)).toBeLessThan(0.975)
  })

  it("Clopper-Pearson never covers less than 95% on a fine grid of rates", () => {
    for (const n of [7, 40]) {
      for (let i = 1; i < 200; i++) expect(intervalCoverage("clopper-pearson", n, i / 200)).toBeGreaterThanOrEqual(0.95 - 1e-9)
    }
  })

  it("a simulation agrees with the exact coverage (n=100, p=0.1)", () => {
    // 20,000 seeded Binomial(100, 0.1) counts by inversion of the exact CDF. Monte Carlo SE of a
    // coverage c is sqrt(c (1 - c) / 20000), about 0.0017 at 0.94; the check allows 4 SEs, so a
    // correct implementation fails it with probability below 1e-4 (and never, at this seed).
    const n = 100
    const p = 0.1
    const runs = 20_000
    const cdf: Array<number> = []
    let acc = 0
    for (let k = 0; k <= n; k++) cdf.push((acc += binomialPmf(k, n, p)))
    const uniform = seededStream("stats-intervals/simulated-coverage")
    const draw = (): number => {
      const u = uniform()
      let lo = 0
      let hi = n
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if ((cdf[mid] ?? 1) > u) hi = mid
        else lo = mid + 1
      }
      return lo
    }
    const methods = ["wilson", "clopper-pearson"] as const
    // Only n + 1 counts are possible: compute each interval once.
    const contains = methods.map((method) =>
      Array.from({ length: n + 1 }, (_, k) => {
        const i = proportionInterval(method, k, n)
        return i.lower <= p && p <= i.upper
      })
    )
    const covered = { wilson: 0, "clopper-pearson": 0 }
    for (let r = 0; r < runs; r++) {
      const k = draw()
      methods.forEach((method, m) => {
        if (contains[m]?.[k] === true) covered[method]++
      })
    }
    for (const method of methods) {
      const exact = intervalCoverage(method, n, p)
      const simulated = covered[method] / runs
      const se = Math.sqrt((exact * (1 - exact)) / runs)
      expect(Math.abs(simulated - exact) / se).toBeLessThan(4)
    }
  })
})

describe("bias across replicates", () => {
  it("is the mean of measured - true with a t interval (hand-computed)", () => {
    // Biases -0.44, -0.46, -0.49, -0.43, -0.45: mean -0.454, sd sqrt(0.00212 / 4) = 0.023022,
    // SE 0.010296, half-width t_{0.975,4} * SE = 2.776445 * 0.010296 = 0.028586.
    const b = biasInterval([0.46, 0.44, 0.41, 0.47, 0.45], 0.9)
    expect(b.mean).toBeCloseTo(-0.454, 12)
    expect(b.meanMeasured).toBeCloseTo(0.446, 12)
    expect(b.truth).toBe(0.9)
    expect(b.degreesOfFreedom).toBe(4)
    expect(b.standardDeviation).toBeCloseTo(0.0230217, 6)
    expect(b.interval?.lower).toBeCloseTo(-0.482586, 5)
    expect(b.interval?.upper).toBeCloseTo(-0.425414, 5)
  })

  it("uses the t quantile, not 1.96: [1, 2, 3, 4, 5] -> 3 +- 1.963", () => {
    const m = meanInterval([1, 2, 3, 4, 5])
    expect(m.interval?.lower).toBeCloseTo(1.03676, 4)
    expect(m.interval?.upper).toBeCloseTo(4.96324, 4)
  })

  it("has no interval from one replicate and a zero-width one from identical replicates", () => {
    expect(biasInterval([0.5], 0.4).interval).toBeNull()
    expect(biasInterval([0.5], 0.4).mean).toBeCloseTo(0.1, 12)
    const same = biasInterval([0.3, 0.3, 0.3], 0.3)
    expect(same.interval).toEqual({ lower: 0, upper: 0 })
    expect(() => biasInterval([], 0.3)).toThrow(RangeError)
  })

  it("its 95% t interval covers the true bias about 95% of the time (seeded simulation)", () => {
    // 4,000 sets of 5 replicates, each the mean of 60 Bernoulli(0.7) scores (nearly normal), true
    // bias 0. MC SE sqrt(0.95 * 0.05 / 4000) = 0.0034; the check allows 3 SEs plus 0.005 for the
    // slight non-normality of a 60-item mean.
    const uniform = seededStream("stats-intervals/bias-coverage")
    const runs = 4000
    let covered = 0
    for (let r = 0; r < runs; r++) {
      const replicates = Array.from({ length: 5 }, () => {
        let k = 0
        for (let i = 0; i < 60; i++) if (uniform() < 0.7) k++
        return k / 60
      })
      const i = biasInterval(replicates, 0.7).interval
      if (i !== null && i.lower <= 0 && 0 <= i.upper) covered++
    }
    expect(Math.abs(covered / runs - 0.95)).toBeLessThan(3 * 0.0034 + 0.005)
  })
})

describe("clustered standard errors (Miller 2024, eq. 4)", () => {
  const scores = [1, 1, 0, 0, 1, 0]
  const labels = ["a", "a", "b", "b", "c", "c"]

  it("matches a hand-computed example", () => {
    // mean 0.5, deviations +-0.5: sum d^2 = 1.5, naive SE^2 = 1.5 / (6 * 5) = 0.05.
    // Cluster sums of d: a 1, b -1, c 0; cross terms sum_c (S_c^2 - sum d^2 in c) = 0.5 + 0.5 - 0.5 = 0.5.
    // Miller: SE^2 = 0.05 + 0.5 / 36 = 0.0638889 -> 0.252763. CR1: (3/2) * 2 / 36 = 1/12 -> 0.288675.
    const m = clusteredMean(scores, labels)
    expect(m.mean).toBe(0.5)
    expect(m.clusters).toBe(3)
    expect(m.naiveStandardError).toBeCloseTo(Math.sqrt(0.05), 12)
    expect(m.clusteredStandardError).toBeCloseTo(Math.sqrt(0.05 + 0.5 / 36), 12)
    expect(m.designEffect).toBeCloseTo((0.05 + 0.5 / 36) / 0.05, 12)
    expect(m.interval?.lower).toBeCloseTo(0.5 - 1.959964 * 0.252763, 5)
    expect(clusteredMean(scores, labels, { estimator: "cr1" }).clusteredStandardError).toBeCloseTo(Math.sqrt(1 / 12), 12)
  })

  it("equals the naive SE (n - 1 convention) when every sample is its own cluster, for both estimators", () => {
    const xs = [0.2, 0.9, 0.4, 0.4, 1, 0, 0.65]
    const own = xs.map((_, i) => i)
    for (const estimator of ["miller", "cr1"] as const) {
      const m = clusteredMean(xs, own, { estimator })
      expect(m.clusteredStandardError).toBeCloseTo(m.naiveStandardError, 14)
      expect(m.naiveStandardError).toBeCloseTo(meanInterval(xs).standardError, 14)
    }
  })

  it("exceeds the naive SE on strongly intra-correlated clusters", () => {
    // Ten clusters of eight identical scores.
    const xs = Array.from({ length: 80 }, (_, i) => (Math.floor(i / 8) % 3 === 0 ? 1 : 0))
    const ids = xs.map((_, i) => Math.floor(i / 8))
    const m = clusteredMean(xs, ids)
    expect(m.clusteredStandardError).toBeGreaterThan(2 * m.naiveStandardError)
    expect(m.designEffect).toBeGreaterThan(6) // 1 + (8 - 1) * ICC, ICC = 1: about 8
  })

  it("uses t with G - 1 df on request, and refuses mismatched input", () => {
    const normal = clusteredMean(scores, labels)
    const t = clusteredMean(scores, labels, { reference: "t" })
    const ratio = ((t.interval?.upper ?? Number.NaN) - t.mean) / ((normal.interval?.upper ?? Number.NaN) - normal.mean)
    expect(ratio).toBeCloseTo(studentTQuantile(0.975, 2) / normalQuantile(0.975), 10)
    expect(clusteredMean([1, 0], ["a", "a"]).interval).toBeNull()
    expect(() => clusteredMean([1, 0], ["a"])).toThrow(RangeError)
  })

  it("covers near 95% on clustered data where the naive interval under-covers (seeded simulation)", () => {
    // 4,000 data sets of 40 clusters x 10 binary scores; each cluster's rate is uniform on
    // [0.2, 0.8] (a random cluster effect), so the true mean is 0.5, ICC = 0.03 / 0.25 = 0.12 and
    // the design effect 1 + 9 * 0.12 = 2.08: the naive interval should cover about
    // 2 Phi(1.96 / sqrt(2.08)) - 1 = 0.83. MC SE at 0.95 is sqrt(0.95 * 0.05 / 4000) = 0.0034;
    // the clustered check allows 3 SEs plus 0.01 for the normal reference with 40 clusters
    // (cluster-robust intervals under-cover slightly with few clusters).
    const uniform = seededStream("stats-intervals/clustered-coverage")
    const runs = 4000
    const covered = { naive: 0, miller: 0, cr1: 0 }
    const z = normalQuantile(0.975)
    const ids = Array.from({ length: 400 }, (_, i) => Math.floor(i / 10))
    for (let r = 0; r < runs; r++) {
      const xs: Array<number> = []
      for (let g = 0; g < 40; g++) {
        const rate = 0.2 + 0.6 * uniform()
        for (let i = 0; i < 10; i++) xs.push(uniform() < rate ? 1 : 0)
      }
      const miller = clusteredMean(xs, ids)
      const cr1 = clusteredMean(xs, ids, { estimator: "cr1" })
      if (Math.abs(miller.mean - 0.5) <= z * miller.naiveStandardError) covered.naive++
      if (miller.interval !== null && miller.interval.lower <= 0.5 && 0.5 <= miller.interval.upper) covered.miller++
      if (cr1.interval !== null && cr1.interval.lower <= 0.5 && 0.5 <= cr1.interval.upper) covered.cr1++
    }
    const tolerance = 3 * 0.0034 + 0.01
    expect(Math.abs(covered.miller / runs - 0.95)).toBeLessThan(tolerance)
    expect(Math.abs(covered.cr1 / runs - 0.95)).toBeLessThan(tolerance)
    expect(covered.naive / runs).toBeLessThan(0.88)
  })
})

describe("paired comparison", () => {
  it("takes the mean difference with a t interval on the differences (hand-computed)", () => {
    // d = x - y = [0.2, 0.1, 0.3, 0, 0.4]: mean 0.2, sd sqrt(0.1 / 4) = 0.158114, SE 0.0707107,
    // half-width 2.776445 * 0.0707107 = 0.196323.
    const c = pairedComparison([0.9, 0.5, 0.8, 0.3, 0.6], [0.7, 0.4, 0.5, 0.3, 0.2])
    expect(c.meanDifference).toBeCloseTo(0.2, 12)
    expect(c.standardError).toBeCloseTo(0.0707107, 6)
    expect(c.interval?.lower).toBeCloseTo(0.003677, 5)
    expect(c.interval?.upper).toBeCloseTo(0.396323, 5)
    expect(c.discordant).toBeNull()
  })

  it("pairing beats the unpaired SE when the variants agree across samples", () => {
    const x = [1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1]
    const y = [1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0]
    const c = pairedComparison(x, y)
    expect(c.correlation).toBeGreaterThan(0.5)
    expect(c.standardError).toBeLessThan(c.unpairedStandardError)
  })

  it("reports McNemar's discordant counts and exact p-value for binary outcomes", () => {
    // 8 samples where only x scores, 1 where only y: p = 2 P(Bin(9, 1/2) <= 1) = 2 * 10 / 512.
    const x = [...Array<number>(8).fill(1), 0, 1, 1, 0, 0]
    const y = [...Array<number>(8).fill(0), 1, 1, 1, 0, 0]
    const d = discordantCounts(x, y)
    expect(d).toEqual({ xOnly: 8, yOnly: 1, pValue: expect.closeTo(20 / 512, 12) })
    expect(pairedComparison(x, y).discordant?.xOnly).toBe(8)
    expect(discordantCounts([1, 0], [1, 0])?.pValue).toBe(1)
  })

  it("with clusters, uses the clustered SE of the differences", () => {
    const x = [1, 1, 0, 1, 0, 0, 1, 1]
    const y = [0, 1, 0, 0, 0, 0, 1, 0]
    const ids = ["a", "a", "b", "b", "c", "c", "d", "d"]
    const c = pairedComparison(x, y, { clusters: ids })
    const direct = clusteredMean(
      x.map((v, i) => v - (y[i] ?? 0)),
      ids
    )
    expect(c.standardError).toBeCloseTo(direct.clusteredStandardError, 14)
    expect(c.interval).toEqual(direct.interval)
    expect(() => pairedComparison([1], [1, 0])).toThrow(RangeError)
  })
})
