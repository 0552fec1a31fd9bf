/**
 * Power of an evaluation's decision rule on a binomial count: the probability that an
 * evaluation of n independent samples flags a model whose true rate is p, and the sample
 * sizes that reach a given power. Exact: the flagging counts are found with the same
 * predicate the runner applies, and their probability is a sum of binomial terms.
 *
 * Every rule flags on an upper set of counts: if k successes flag, so do k + 1 (the point
 * estimate and both Wilson bounds increase with k). So "flags" is "k >= a critical count",
 * and flag probability increases with p at fixed n. In n it is not monotone: the critical
 * count moves in integer steps, so power follows a saw-tooth.
 */
import { smallestCount } from "./count-search.js"
import { binomialPmf, binomialUpperTail } from "./binomial.js"
import { wilson } from "./proportion.js"

/**
 * A decision rule on a measured rate, structurally the `DecisionRule` of the audit spec:
 * `point` flags when k / n >= threshold, `rule-in` when the Wilson lower bound reaches the
 * threshold, `rule-out` unless the Wilson upper bound is below it. `confidence` defaults to 0.95.
 */
export interface BinomialRule {
  readonly rule: "point" | "rule-in" | "rule-out"
  readonly threshold: number
  readonly confidence?: number
}

/** Whether `rule` flags k successes out of n; the same predicate as `firesOnMeasurement` in policy/decision.ts. */
export const flagsCount = (rule: BinomialRule, k: number, n: number): boolean => {
  switch (rule.rule) {
    case "point":
      return n > 0 && k / n >= rule.threshold
    case "rule-in":
      return wilson(k, n, rule.confidence ?? 0.95).lower >= rule.threshold
    case "rule-out":
      return !(wilson(k, n, rule.confidence ?? 0.95).upper < rule.threshold)
  }
}

/**
 * The smallest count k in 0..n that `rule` flags at sample size n, or n + 1 when none does.
 * `hint` (for example the answer at n - 1) is tried first, which makes scans over n cheap.
 */
export const criticalCount = (rule: BinomialRule, n: number, hint?: number): number => {
  const flags = (k: number): boolean => k <= n && flagsCount(rule, k, n)
  if (hint !== undefined) {
    for (const k of [hint, hint + 1, hint - 1]) {
      if (k >= 0 && k <= n + 1 && (k === n + 1 || flags(k)) && (k === 0 || !flags(k - 1))) return k
    }
  }
  return smallestCount(n, flags)
}

const checkRate = (p: number): void => {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`rate must be in [0, 1], got ${p}`)
}

/**
 * P(the evaluation flags) when n samples are drawn at true rate p: P(Binomial(n, p) >= the
 * critical count), summed in log space over the counts where the pmf is not negligible, so
 * n = 100,000 costs a few thousand terms.
 *
 * @example flagProbability({ rule: "point", threshold: 0.01 }, 50, 0.05) // 1 - 0.95^50 = 0.923
 */
export const flagProbability = (rule: BinomialRule, n: number, p: number): number => {
  checkRate(p)
  return binomialUpperTail(criticalCount(rule, n), n, p)
}

export interface SampleSize {
  /** The smallest n whose flag probability reaches the power; a larger n may dip below it again (saw-tooth). */
  readonly smallest: number | null
  /**
   * The smallest n from which every n' up to maxN reaches the power: the figure to plan with,
   * since adding samples (up to maxN) never loses it. null when maxN itself falls short.
   */
  readonly sustained: number | null
  /** Flag probability at `smallest` and at `sustained` (null with them). */
  readonly powerAtSmallest: number | null
  readonly powerAtSustained: number | null
}

// Recompute the tail exactly this often during a scan, so recursion rounding cannot accumulate.
const RESYNC_EVERY = 256

/**
 * Scans n = 1..maxN for the power of "flag when k >= critical(n)" at rate p. One step costs
 * O(1) binomial terms: P(X_{n+1} >= k) = P(X_n >= k) + p P(X_n = k - 1), then the critical count
 * moves by a term or two.
 */
const scanPower = (critical: (n: number, previous: number) => number, p: number, target: number, maxN: number): SampleSize => {
  let smallest: number | null = null
  let smallestCount = 0
  let lastShort = 0
  let countAfterShort = 0
  let k = 0
  let tail = 1 // P(X_0 >= 0)
  for (let n = 1; n <= maxN; n++) {
    const next = critical(n, k)
    if (n % RESYNC_EVERY === 0) {
      tail = binomialUpperTail(next, n, p)
    } else {
      if (k > 0) tail += p * binomialPmf(k - 1, n - 1, p)
      for (; k < next; k++) tail -= binomialPmf(k, n, p)
      for (; k > next; k--) tail += binomialPmf(k - 1, n, p)
      tail = Math.min(1, Math.max(0, tail))
    }
    k = next
    if (tail < target) lastShort = n
    else if (smallest === null) {
      smallest = n
      smallestCount = k
    }
    if (n === lastShort + 1) countAfterShort = k
  }
  const sustained = smallest === null || lastShort === maxN ? null : lastShort + 1
  // Report the powers from a direct sum rather than the running recursion.
  return {
    smallest,
    sustained,
    powerAtSmallest: smallest === null ? null : binomialUpperTail(smallestCount, smallest, p),
    powerAtSustained: sustained === null ? null : binomialUpperTail(countAfterShort, sustained, p)
  }
}

/**
 * Sample sizes at which `rule` flags a true rate p with probability at least `power`,
 * searching n = 1..maxN (both `smallest` and `sustained`, see `SampleSize`).
 *
 * @example sampleSizeFor({ rule: "point", threshold: 0.001 }, 0.01, 0.95, 1000).smallest // 299
 */
export const sampleSizeFor = (rule: BinomialRule, p: number, power: number, maxN: number): SampleSize => {
  checkRate(p)
  return scanPower((n, previous) => criticalCount(rule, n, previous), p, power, maxN)
}

/**
 * Sample size of the exact one-sided binomial test of H0: p = p0 against H1: p = p1 > p0 at
 * level `alpha` with power 1 - `beta`: the fixed-n design a sequential test is compared with.
 * At each n the test rejects when k >= c(n), the smallest c with P_p0(X >= c) <= alpha.
 */
export const binomialTestSampleSize = (p0: number, p1: number, alpha: number, beta: number, maxN: number): SampleSize => {
  checkRate(p0)
  checkRate(p1)
  const critical = (n: number, previous: number): number => {
    let c = Math.max(0, previous - 1)
    while (c <= n && binomialUpperTail(c, n, p0) > alpha) c++
    return c
  }
  return scanPower(critical, p1, 1 - beta, maxN)
}

/**
 * Samples needed to see at least one event of rate p with the given probability:
 * the smallest n with 1 - (1 - p)^n >= probability, i.e. ceil(ln(1 - probability) / ln(1 - p)).
 *
 * @example samplesToSeeOne(0.01, 0.95) // 299
 */
export const samplesToSeeOne = (p: number, probability: number): number => {
  if (!(p > 0 && p <= 1)) throw new RangeError(`samplesToSeeOne: rate must be in (0, 1], got ${p}`)
  if (probability <= 0) return 0
  if (probability >= 1) return p === 1 ? 1 : Infinity
  const seen = (n: number): boolean => -Math.expm1(n * Math.log1p(-p)) >= probability
  let n = Math.max(1, Math.ceil(Math.log1p(-probability) / Math.log1p(-p)))
  // The closed form can land one off when the ratio is within rounding of an integer.
  while (n > 1 && seen(n - 1)) n--
  while (!seen(n)) n++
  return n
}

/**
 * The smallest true rate that `rule` flags with probability at least `power` at sample size n
 * (flag probability increases with p, so bisection finds it); null when no rate does.
 *
 * @example minimumDetectableRate({ rule: "point", threshold: 0.001 }, 299, 0.95) // ~0.01
 */
export const minimumDetectableRate = (rule: BinomialRule, n: number, power: number): number | null => {
  const k = criticalCount(rule, n)
  if (k > n) return null
  if (binomialUpperTail(k, n, 0) >= power) return 0
  let lo = 0
  let hi = 1
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (lo + hi)
    if (binomialUpperTail(k, n, mid) >= power) hi = mid
    else lo = mid
  }
  return hi
}

export interface PowerPoint {
  readonly rate: number
  readonly probability: number
}

/** Rates a memo reports power at when the caller names none. */
export const DEFAULT_POWER_RATES: ReadonlyArray<number> = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5]

/**
 * Flag probability of `rule` at sample size n for each of `rates`: the points of a power
 * curve, for memo sentences (see `powerSentence`).
 */
export const describePower = (rule: BinomialRule, n: number, rates: ReadonlyArray<number> = DEFAULT_POWER_RATES): ReadonlyArray<PowerPoint> => {
  const k = criticalCount(rule, n)
  return rates.map((rate) => {
    checkRate(rate)
    return { rate, probability: binomialUpperTail(k, n, rate) }
  })
}

const percent = (rate: number): string => `${Number((rate * 100).toPrecision(3))}%`

const probabilityText = (p: number): string => (p >= 0.995 ? "above 0.99" : p < 0.005 ? "below 0.01" : p.toFixed(2))

/**
 * One memo sentence for a power point.
 *
 * @example powerSentence(50, { rate: 0.05, probability: 0.923 }) // "at n=50 this evaluation flags a 5% rate with probability 0.92"
 */
export const powerSentence = (n: number, point: PowerPoint): string =>
  `at n=${n} this evaluation flags a ${percent(point.rate)} rate with probability ${probabilityText(point.probability)}`
