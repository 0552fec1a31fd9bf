import { describe, expect, it } from "vitest"
import type { DecisionRule } from "../src/domain/decision.js"
import { firesOnMeasurement } from "../src/policy/decision.js"
import { regularizedBeta } from "../src/stats/beta.js"
import { binomialLogPmf, binomialPmf, binomialRangeProbability, binomialUpperTail } from "../src/stats/binomial.js"
import { boundRule, lookAlpha } from "../src/stats/confidence-sequence.js"
import {
  binomialTestSampleSize,
  criticalCount,
  describePower,
  flagProbability,
  flagsCount,
  minimumDetectableRate,
  powerSentence,
  sampleSizeFor,
  samplesToSeeOne,
  type BinomialRule
} from "../src/stats/power.js"
import { seededStream } from "../src/stats/seeded-stream.js"
import {
  expectedSampleSize,
  operatingCharacteristics,
  sequentialStart,
  sequentialStep,
  simulateStoppingRule
} from "../src/stats/sequential.js"
import { sprtRule, sprtStart, sprtStep, sprtThresholds, waldApproximation, type SprtDesign, type SprtState } from "../src/stats/sprt.js"

/** C(n, k) p^k (1 - p)^(n - k) by a plain product of logs: an independent route to the pmf. */
const naivePmf = (k: number, n: number, p: number): number => {
  let log = k * Math.log(p) + (n - k) * Math.log(1 - p)
  for (let i = 1; i <= k; i++) log += Math.log(n - k + i) - Math.log(i)
  return Math.exp(log)
}

/** P(rule flags) by brute force: every k, the policy's own predicate, the naive pmf. */
const bruteFlagProbability = (rule: DecisionRule, n: number, p: number): number => {
  let sum = 0
  for (let k = 0; k <= n; k++) if (firesOnMeasurement(rule, k, n)) sum += naivePmf(k, n, p)
  return sum
}

describe("binomial probabilities", () => {
  it("agree with the plain product formula and sum to 1", () => {
    for (const [n, p] of [[10, 0.3], [57, 0.02], [200, 0.5]] as const) {
      let total = 0
      for (let k = 0; k <= n; k++) {
        expect(Math.abs(binomialPmf(k, n, p) - naivePmf(k, n, p))).toBeLessThan(1e-13)
        total += binomialPmf(k, n, p)
      }
      expect(total).toBeCloseTo(1, 12)
      expect(binomialRangeProbability(n, p, 0, n)).toBeCloseTo(1, 12)
    }
  })

  it("stay finite and exact at n = 100,000: P(X >= n/2) at p = 1/2 is 1/2 + pmf(n/2)/2", () => {
    const n = 100_000
    const centre = binomialPmf(n / 2, n, 0.5)
    // Stirling: C(n, n/2) / 2^n = sqrt(2 / (pi n)) (1 - 1/(4n) + 1/(32 n^2) + ...) = 0.00252312621
    // Log-gamma near 1e5 is good to about 1e-10 absolute, so the pmf to a relative 1e-9.
    const stirling = Math.sqrt(2 / (Math.PI * n)) * (1 - 1 / (4 * n) + 1 / (32 * n * n))
    expect(Math.abs(centre / stirling - 1)).toBeLessThan(1e-9)
    expect(binomialUpperTail(n / 2, n, 0.5)).toBeCloseTo(0.5 + centre / 2, 10)
    expect(binomialUpperTail(51_000, n, 0.5)).toBeCloseTo(regularizedBeta(0.5, 51_000, n - 51_000 + 1), 15)
    expect(binomialLogPmf(0, n, 0.5)).toBeCloseTo(n * Math.log(0.5), 6) // far below underflow, still exact in logs
  })

  it("handle the degenerate rates and out-of-range counts", () => {
    expect(binomialPmf(0, 10, 0)).toBe(1)
    expect(binomialPmf(10, 10, 1)).toBe(1)
    expect(binomialPmf(3, 10, 0)).toBe(0)
    expect(binomialPmf(11, 10, 0.5)).toBe(0)
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1)
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0)
  })
})

describe("power of a decision rule", () => {
  const rules: ReadonlyArray<DecisionRule> = [
    { rule: "point", threshold: 0.6 },
    { rule: "point", threshold: 0.01 },
    { rule: "rule-in", threshold: 0.5, confidence: 0.95 },
    { rule: "rule-in", threshold: 0.05, confidence: 0.9 },
    { rule: "rule-out", threshold: 0.1, confidence: 0.95 },
    { rule: "rule-out", threshold: 0.02, confidence: 0.99 }
  ]

  it("flags exactly the counts the runner's decision rule flags, and they form an upper set", () => {
    for (const rule of rules) {
      for (const n of [0, 1, 7, 30, 120]) {
        const c = criticalCount(rule, n)
        for (let k = 0; k <= n; k++) {
          expect(flagsCount(rule, k, n)).toBe(firesOnMeasurement(rule, k, n))
          expect(flagsCount(rule, k, n)).toBe(k >= c)
        }
      }
    }
  })

  it("gives exact flag probabilities (brute force over every count with the runner's predicate)", () => {
    for (const rule of rules) {
      for (const [n, p] of [[10, 0.5], [50, 0.05], [120, 0.55], [200, 0.08]] as const) {
        expect(Math.abs(flagProbability(rule, n, p) - bruteFlagProbability(rule, n, p))).toBeLessThan(1e-12)
      }
    }
  })

  it("matches independently computed figures", () => {
    // Any event flags: P(X >= 1) = 1 - 0.95^50 = 0.923055.
    expect(flagProbability({ rule: "point", threshold: 0.01 }, 50, 0.05)).toBeCloseTo(1 - 0.95 ** 50, 13)
    // Score >= 0.6 on 10 fair coins: P(X >= 6) = 386 / 1024.
    expect(flagProbability({ rule: "point", threshold: 0.6 }, 10, 0.5)).toBeCloseTo(386 / 1024, 13)
    // n = 100,000 at the threshold itself: about one half.
    expect(flagProbability({ rule: "point", threshold: 0.5 }, 100_000, 0.5)).toBeCloseTo(0.5012616, 6)
  })

  it("describes a power curve in memo sentences", () => {
    const rule: BinomialRule = { rule: "point", threshold: 0.01 }
    const points = describePower(rule, 50, [0.01, 0.05, 0.1])
    expect(points.map((p) => p.probability)).toEqual([
      expect.closeTo(1 - 0.99 ** 50, 12), // 0.395
      expect.closeTo(1 - 0.95 ** 50, 12), // 0.923
      expect.closeTo(1 - 0.9 ** 50, 12) // 0.995
    ])
    expect(points.map((p) => powerSentence(50, p))).toEqual([
      "at n=50 this evaluation flags a 1% rate with probability 0.39",
      "at n=50 this evaluation flags a 5% rate with probability 0.92",
      "at n=50 this evaluation flags a 10% rate with probability 0.99"
    ])
    expect(powerSentence(300, { rate: 0.005, probability: 0.9995 })).toBe(
      "at n=300 this evaluation flags a 0.5% rate with probability above 0.99"
    )
    expect(describePower(rule, 50).length).toBeGreaterThan(3)
  })

  it("needs 299 samples to see a 1% event with 95% probability", () => {
    expect(samplesToSeeOne(0.01, 0.95)).toBe(299)
    expect(samplesToSeeOne(0.5, 0.75)).toBe(2) // 1 - 0.5^2 = 0.75 exactly
    expect(samplesToSeeOne(0.1, 0.9)).toBe(22)
    for (const p of [0.001, 0.013, 0.2, 0.7]) {
      for (const q of [0.5, 0.8, 0.95, 0.999]) {
        const n = samplesToSeeOne(p, q)
        expect(1 - (1 - p) ** n).toBeGreaterThanOrEqual(q - 1e-12)
        expect(1 - (1 - p) ** (n - 1)).toBeLessThan(q)
      }
    }
    // The same figure from the general search: "any event flags" is the point rule at a tiny threshold.
    expect(sampleSizeFor({ rule: "point", threshold: 1e-9 }, 0.01, 0.95, 1000).smallest).toBe(299)
  })

  it("finds the smallest and the sustained sample size, which differ on the saw-tooth", () => {
    const rule: DecisionRule = { rule: "rule-in", threshold: 0.5, confidence: 0.95 }
    const size = sampleSizeFor(rule, 0.6, 0.8, 600)
    // Brute force with the runner's predicate, n = 1..600.
    const powers = Array.from({ length: 600 }, (_, i) => bruteFlagProbability(rule, i + 1, 0.6))
    const reached = powers.map((p) => p >= 0.8)
    const smallest = reached.indexOf(true) + 1
    const sustained = reached.lastIndexOf(false) + 2
    expect([size.smallest, size.sustained]).toEqual([smallest, sustained]) // [187, 198]
    expect(size.sustained).toBeGreaterThan(size.smallest ?? Infinity) // power dips below 0.8 after first reaching it
    expect(size.powerAtSmallest).toBeCloseTo(powers[smallest - 1] ?? 0, 12)
    // A scan to 100,000 (exact resyncs every 256 steps) finds the same sizes.
    const long = sampleSizeFor(rule, 0.6, 0.8, 100_000)
    expect([long.smallest, long.sustained]).toEqual([smallest, sustained])
  })

  it("reports no sample size when the rule cannot reach the power", () => {
    const size = sampleSizeFor({ rule: "point", threshold: 0.5 }, 0.4, 0.8, 2000)
    expect(size).toEqual({ smallest: null, sustained: null, powerAtSmallest: null, powerAtSustained: null })
  })

  it("finds the minimum detectable rate: 1 - 0.05^(1/299) for 'any event' at n = 299", () => {
    const rate = minimumDetectableRate({ rule: "point", threshold: 1e-9 }, 299, 0.95)
    expect(rate).toBeCloseTo(1 - 0.05 ** (1 / 299), 10) // 0.00997
    const ruleIn: BinomialRule = { rule: "rule-in", threshold: 0.5 }
    const r = minimumDetectableRate(ruleIn, 100, 0.8) ?? Number.NaN
    expect(flagProbability(ruleIn, 100, r)).toBeCloseTo(0.8, 8)
    expect(minimumDetectableRate({ rule: "point", threshold: 0.5 }, 0, 0.8)).toBeNull()
  })

  it("sizes the fixed-n exact binomial test that sequential tests are compared with", () => {
    const size = binomialTestSampleSize(0.05, 0.15, 0.05, 0.05, 1000)
    const n = size.smallest ?? 0
    const critical = (m: number): number => {
      let c = 0
      while (binomialUpperTail(c, m, 0.05) > 0.05) c++
      return c
    }
    expect(binomialUpperTail(critical(n), n, 0.05)).toBeLessThanOrEqual(0.05)
    expect(binomialUpperTail(critical(n), n, 0.15)).toBeGreaterThanOrEqual(0.95)
    for (let m = 1; m < n; m++) expect(binomialUpperTail(critical(m), m, 0.15)).toBeLessThan(0.95)
    expect(n).toBe(93)
  })
})

describe("Wald's SPRT", () => {
  const designs: ReadonlyArray<SprtDesign> = [
    { p0: 0.05, p1: 0.15, alpha: 0.05, beta: 0.05 },
    { p0: 0.01, p1: 0.05, alpha: 0.05, beta: 0.05 }
  ]

  it("uses log thresholds of +-2.944 at alpha = beta = 0.05", () => {
    const t = sprtThresholds(0.05, 0.05)
    expect(t.upper).toBeCloseTo(2.944439, 6)
    expect(t.lower).toBeCloseTo(-2.944439, 6)
    expect(sprtThresholds(0.01, 0.2).upper).toBeCloseTo(Math.log(80), 12)
  })

  it("steps: three early events accept H1, 27 clean outcomes accept H0", () => {
    const design = designs[0] ?? { p0: 0.05, p1: 0.15, alpha: 0.05, beta: 0.05 }
    const run = (outcomes: ReadonlyArray<0 | 1>): SprtState => outcomes.reduce(sprtStep, sprtStart(design))
    // Each event adds ln 3 = 1.0986: 3 of them reach 3.2958 >= 2.944.
    const h1 = run([1, 1, 1])
    expect([h1.n, h1.decision, h1.truncated]).toEqual([3, "accept-h1", false])
    expect(h1.logLikelihoodRatio).toBeCloseTo(3 * Math.log(3), 12)
    // Each non-event adds ln(0.85 / 0.95) = -0.11123: 26 give -2.892, 27 give -3.003.
    expect(run(Array<0 | 1>(26).fill(0)).decision).toBe("continue")
    const h0 = run(Array<0 | 1>(27).fill(0))
    expect([h0.n, h0.decision]).toEqual([27, "accept-h0"])
    // A decided test ignores further outcomes.
    expect(sprtStep(h1, 0)).toBe(h1)
  })

  it("truncates at maxN by the sign of the log-likelihood ratio", () => {
    const design: SprtDesign = { p0: 0.05, p1: 0.15, alpha: 0.05, beta: 0.05, maxN: 6 }
    const run = (outcomes: ReadonlyArray<0 | 1>): SprtState => outcomes.reduce(sprtStep, sprtStart(design))
    const one = run([0, 0, 1, 0, 0, 0]) // ln 3 - 5 * 0.11123 = 0.542 > 0: H1 is likelier
    expect([one.decision, one.truncated]).toEqual(["accept-h1", true])
    const none = run([0, 0, 0, 0, 0, 0])
    expect([none.decision, none.truncated]).toEqual(["accept-h0", true])
    expect(() => sprtStart({ p0: 0.2, p1: 0.1, alpha: 0.05, beta: 0.05 })).toThrow(RangeError)
  })

  it("Wald's approximations give alpha and 1 - beta at p0 and p1, and his ASN formula", () => {
    for (const d of designs) {
      const { upper: A, lower: B } = sprtThresholds(d.alpha, d.beta)
      const a = Math.log(d.p1 / d.p0)
      const b = Math.log((1 - d.p1) / (1 - d.p0))
      const at0 = waldApproximation(d, d.p0)
      const at1 = waldApproximation(d, d.p1)
      expect(at0.acceptH1).toBeCloseTo(d.alpha, 9)
      expect(at1.acceptH1).toBeCloseTo(1 - d.beta, 9)
      expect(at0.expectedSampleSize).toBeCloseTo(((1 - d.alpha) * B + d.alpha * A) / (d.p0 * a + (1 - d.p0) * b), 6)
      expect(at1.expectedSampleSize).toBeCloseTo((d.beta * B + (1 - d.beta) * A) / (d.p1 * a + (1 - d.p1) * b), 6)
      // Where the drift vanishes, ASN = -AB / E[z^2] and the test is a fair coin between A and B.
      const pStar = -b / (a - b)
      expect(waldApproximation(d, pStar).acceptH1).toBeCloseTo(-B / (A - B), 6)
    }
  })

  it("keeps its error rates in simulation and uses far fewer samples than the fixed-n test", () => {
    // 10,000 seeded runs under each hypothesis. Monte Carlo SE of a rate near 0.05 is
    // sqrt(0.05 * 0.95 / 10000) = 0.0022, so the tolerance is 3 SEs = 0.0065. The simulated
    // rates must also agree with the exact dynamic-programming ones within 4 of their own SEs.
    const runs = 10_000
    const tolerance = 3 * Math.sqrt((0.05 * 0.95) / runs)
    for (const d of designs) {
      const rule = sprtRule(d)
      const under0 = simulateStoppingRule(rule, d.p0, runs, `sprt/${d.p0}/${d.p1}/h0`)
      const under1 = simulateStoppingRule(rule, d.p1, runs, `sprt/${d.p0}/${d.p1}/h1`)
      expect(under0.high).toBeLessThanOrEqual(d.alpha + tolerance) // type I error
      expect(under1.low).toBeLessThanOrEqual(d.beta + tolerance) // type II error
      const exact0 = operatingCharacteristics(rule, d.p0)
      const exact1 = operatingCharacteristics(rule, d.p1)
      expect(Math.abs(under0.high - exact0.high) / Math.sqrt((exact0.high * (1 - exact0.high)) / runs)).toBeLessThan(4)
      expect(Math.abs(under1.low - exact1.low) / Math.sqrt((exact1.low * (1 - exact1.low)) / runs)).toBeLessThan(4)
      expect(expectedSampleSize(rule, d.p0)).toBe(exact0.expectedSampleSize)
      // Exact error rates are within Wald's bounds alpha / (1 - beta) and beta / (1 - alpha).
      expect(exact0.high).toBeLessThanOrEqual(d.alpha / (1 - d.beta))
      expect(exact1.low).toBeLessThanOrEqual(d.beta / (1 - d.alpha))
      // The fixed-n exact binomial test with the same error rates (93 and 181 samples here).
      const fixed = binomialTestSampleSize(d.p0, d.p1, d.alpha, d.beta, 5000).smallest ?? Infinity
      // Observed: ASN / fixed n = 0.59 and 0.47 for 5% vs 15%, 0.62 and 0.43 for 1% vs 5%.
      expect(exact0.expectedSampleSize / fixed).toBeLessThan(0.7)
      expect(exact1.expectedSampleSize / fixed).toBeLessThan(0.7)
      expect(under0.expectedSampleSize / fixed).toBeLessThan(0.7)
      expect(under1.expectedSampleSize / fixed).toBeLessThan(0.7)
    }
  })

  it("truncation moves an error rate by at most the chance of running past maxN (exact)", () => {
    // Truncated and untruncated tests agree on every run that stops by maxN, so their verdict
    // probabilities differ by at most P(N > maxN) of the untruncated test. At maxN = 120 (1.3 times
    // the fixed n of 93): type I 0.0344 -> 0.0379, type II 0.0478 -> 0.0619, with P(N > 120) of
    // 0.051 under p0 and 0.038 under p1.
    const open: SprtDesign = { p0: 0.05, p1: 0.15, alpha: 0.05, beta: 0.05 }
    const cut: SprtDesign = { ...open, maxN: 120 }
    for (const p of [open.p0, open.p1]) {
      const truncated = operatingCharacteristics(sprtRule(cut), p)
      const untruncated = operatingCharacteristics(sprtRule(open), p)
      const beyond = operatingCharacteristics(sprtRule(open), p, 120).unresolved
      expect(truncated.unresolved).toBe(0)
      expect(truncated.high + truncated.low).toBeCloseTo(1, 12)
      expect(Math.abs(truncated.high - untruncated.high)).toBeLessThanOrEqual(beyond + 1e-12)
      expect(beyond).toBeGreaterThan(0)
      expect(truncated.expectedSampleSize).toBeLessThan(untruncated.expectedSampleSize)
    }
    const at0 = operatingCharacteristics(sprtRule(cut), open.p0)
    const at1 = operatingCharacteristics(sprtRule(cut), open.p1)
    expect(at0.high).toBeCloseTo(0.0379, 4)
    expect(at1.low).toBeCloseTo(0.0619, 4)
  })
})

describe("sequential rule by repeated confidence bounds", () => {
  const looks = { kind: "looks", looks: [50, 100, 150, 200, 250, 300, 350, 400, 450, 500] } as const

  it("spends alpha / K per planned look, or 6 alpha / (pi^2 n^2) per sample", () => {
    expect(lookAlpha({ threshold: 0.1, alpha: 0.05, schedule: looks }, 100)).toBeCloseTo(0.005, 15)
    expect(lookAlpha({ threshold: 0.1, alpha: 0.05, schedule: looks }, 101)).toBeNull()
    const every = { threshold: 0.1, alpha: 0.05, schedule: { kind: "every-sample", maxN: 10_000 } } as const
    let spent = 0
    for (let n = 1; n <= 10_000; n++) spent += lookAlpha(every, n) ?? 0
    expect(spent).toBeLessThan(0.05)
    expect(spent).toBeGreaterThan(0.0499) // the tail beyond 10,000 is 6 * 0.05 / (pi^2 * 10^4)
  })

  it("keeps each wrong verdict below alpha (exact, both schedules)", () => {
    const schedules = [looks, { kind: "every-sample", maxN: 600 }] as const
    for (const schedule of schedules) {
      const rule = boundRule({ threshold: 0.1, alpha: 0.05, schedule })
      // At the threshold, "low" is wrong; just below it, "high" is.
      for (const p of [0.1, 0.11, 0.15]) expect(operatingCharacteristics(rule, p).low).toBeLessThanOrEqual(0.05)
      for (const p of [0.099, 0.09, 0.05]) expect(operatingCharacteristics(rule, p).high).toBeLessThanOrEqual(0.05)
    }
  })

  it("settles clear cases early and agrees with simulation", () => {
    const rule = boundRule({ threshold: 0.1, alpha: 0.05, schedule: looks })
    const far = operatingCharacteristics(rule, 0.2)
    expect(far.high).toBeGreaterThan(0.99)
    expect(far.expectedSampleSize).toBeLessThan(150) // 116 of at most 500
    // 4,000 seeded runs at p = 0.05: MC SE of P(low) (about 0.96) is sqrt(0.96 * 0.04 / 4000) = 0.0031.
    const exact = operatingCharacteristics(rule, 0.05)
    const simulated = simulateStoppingRule(rule, 0.05, 4000, "bound-rule/0.05")
    expect(Math.abs(simulated.low - exact.low) / Math.sqrt((exact.low * (1 - exact.low)) / 4000)).toBeLessThan(4)
    expect(Math.abs(simulated.expectedSampleSize - exact.expectedSampleSize)).toBeLessThan(10)
  })

  it("steps through the same verdicts as its analysis", () => {
    const rule = boundRule({ threshold: 0.1, alpha: 0.05, schedule: looks })
    // 50 outcomes with 20 events: the 99.5% Clopper-Pearson lower bound (0.21) clears 0.1 at the first look.
    let state = sequentialStart(rule)
    for (let i = 0; i < 50; i++) state = sequentialStep(state, i < 20 ? 1 : 0)
    expect([state.n, state.verdict]).toEqual([50, "high"])
    // With no events, the first look's upper bound (1 - 0.005^(1/50) = 0.1006) does not yet clear 0.1; the second (0.052) does.
    let clean = sequentialStart(rule)
    for (let i = 0; i < 100; i++) clean = sequentialStep(clean, 0)
    expect([clean.n, clean.verdict]).toEqual([100, "low"])
    expect(() => boundRule({ threshold: 0.1, alpha: 0.05, schedule: { kind: "looks", looks: [50, 40] } })).toThrow(RangeError)
  })
})

describe("seeded stream", () => {
  it("is a pure function of its label", () => {
    const a = seededStream("x")
    const b = seededStream("x")
    const c = seededStream("y")
    const first = [a(), a(), a()]
    expect([b(), b(), b()]).toEqual(first)
    expect(c()).not.toBe(first[0])
  })

  it("is uniform on [0, 1): decile counts pass a chi-square test", () => {
    const u = seededStream("stats-power-sprt/uniformity")
    const counts = Array.from({ length: 10 }, () => 0)
    const n = 100_000
    let outside = 0
    for (let i = 0; i < n; i++) {
      const x = u()
      if (!(x >= 0 && x < 1)) outside++
      const d = Math.floor(x * 10)
      counts[d] = (counts[d] ?? 0) + 1
    }
    expect(outside).toBe(0)
    const chi2 = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0)
    expect(chi2).toBeLessThan(27.88) // 99.9th percentile of chi-square with 9 df
  })
})
