/** Proportions and their confidence intervals. */
import { largestCount, smallestCount } from "./count-search.js"
import { inverseRegularizedBeta } from "./beta.js"
import { binomialRangeProbability } from "./binomial.js"

export interface Interval {
  readonly lower: number
  readonly upper: number
}

export interface Proportion extends Interval {
  readonly k: number
  readonly n: number
  /** k / n, or null when nothing was observed. */
  readonly estimate: number | null
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export const normalQuantile = (p: number): number => {
  if (p <= 0) return -Infinity
  if (p >= 1) return Infinity
  const tail = (q: number): number =>
    (((((-7.784894002430293e-3 * q - 3.223964580411365e-1) * q - 2.400758277161838) * q - 2.549732539343734) * q +
      4.374664141464968) * q + 2.938163982698783) /
    ((((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1)
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)))
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)))
  const q = p - 0.5
  const r = q * q
  return ((((((-3.969683028665376e1 * r + 2.209460984245205e2) * r - 2.759285104469687e2) * r + 1.38357751867269e2) * r -
    3.066479806614716e1) * r + 2.506628277459239) * q) /
    (((((-5.447609879822406e1 * r + 1.615858368580409e2) * r - 1.556989798598866e2) * r + 6.680131188771972e1) * r -
      1.328068155288572e1) * r + 1)
}

/** Wilson score interval for k successes in n trials at two-sided `confidence`. */
export const wilson = (k: number, n: number, confidence = 0.95): Proportion => {
  if (n === 0) return { k, n, estimate: null, lower: 0, upper: 1 }
  const z = normalQuantile(1 - (1 - confidence) / 2)
  const p = k / n
  const z2 = z * z
  const denominator = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denominator
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return { k, n, estimate: p, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) }
}

/**
 * Clopper-Pearson ("exact") interval for k successes in n trials at two-sided `confidence`:
 * the Beta quantiles B(a/2; k, n - k + 1) and B(1 - a/2; k + 1, n - k), with the closed forms
 * (a/2)^(1/n) at k = n and 1 - (a/2)^(1/n) at k = 0. Its coverage is at least `confidence`
 * for every true rate (it is conservative: wider than Wilson).
 *
 * @example clopperPearson(9, 10) // lower 0.555, upper 0.997
 */
export const clopperPearson = (k: number, n: number, confidence = 0.95): Proportion => {
  if (n === 0) return { k, n, estimate: null, lower: 0, upper: 1 }
  const alpha = 1 - confidence
  const lower = k <= 0 ? 0 : k >= n ? Math.pow(alpha / 2, 1 / n) : inverseRegularizedBeta(alpha / 2, k, n - k + 1)
  const upper = k >= n ? 1 : k <= 0 ? 1 - Math.pow(alpha / 2, 1 / n) : inverseRegularizedBeta(1 - alpha / 2, k + 1, n - k)
  return { k, n, estimate: k / n, lower, upper }
}

/** How to put an interval on a proportion: Wilson (the default, close to nominal) or Clopper-Pearson (never below nominal). */
export type IntervalMethod = "wilson" | "clopper-pearson"

/** The interval `method` gives for k successes in n trials at two-sided `confidence`. */
export const proportionInterval = (method: IntervalMethod, k: number, n: number, confidence = 0.95): Proportion => {
  switch (method) {
    case "wilson":
      return wilson(k, n, confidence)
    case "clopper-pearson":
      return clopperPearson(k, n, confidence)
  }
}

/**
 * Exact coverage of `method`'s interval when the true rate is p: P(lower <= p <= upper) under
 * Binomial(n, p). Both bounds increase with k, so the covering counts form one run kLow..kHigh,
 * found by bisection; the answer is a binomial range probability, not a simulation.
 *
 * @example intervalCoverage("clopper-pearson", 50, 0.3) // >= 0.95
 */
export const intervalCoverage = (method: IntervalMethod, n: number, p: number, confidence = 0.95): number => {
  if (n === 0) return 1
  // The k whose interval covers p: from the smallest whose upper bound reaches p to the largest whose lower bound does not exceed it.
  const kLow = smallestCount(n, (k) => proportionInterval(method, k, n, confidence).upper >= p)
  const kHigh = largestCount(n, (k) => proportionInterval(method, k, n, confidence).lower <= p)
  return binomialRangeProbability(n, p, kLow, kHigh)
}

export const mean = (xs: ReadonlyArray<number>): number =>
  xs.length === 0 ? Number.NaN : xs.reduce((s, x) => s + x, 0) / xs.length

/** Sample standard deviation (n - 1); 0 for fewer than two values. */
export const standardDeviation = (xs: ReadonlyArray<number>): number => {
  if (xs.length < 2) return 0
  const m = mean(xs)
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1))
}
