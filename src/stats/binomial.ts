/**
 * Binomial probabilities in log space, so that n up to 100,000 (and beyond) neither
 * overflows nor underflows: the power of a decision rule, exact interval coverage and the
 * exact McNemar test are all sums of these.
 */
import { logGamma } from "./beta.js"

/** ln P(X = k) for X ~ Binomial(n, p); -Infinity outside 0..n. */
export const binomialLogPmf = (k: number, n: number, p: number): number => {
  if (k < 0 || k > n || !Number.isInteger(k)) return -Infinity
  // 0 * log(0) would be NaN: the degenerate rates are a point mass.
  if (p === 0) return k === 0 ? 0 : -Infinity
  if (p === 1) return k === n ? 0 : -Infinity
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p)
}

/** P(X = k) for X ~ Binomial(n, p). */
export const binomialPmf = (k: number, n: number, p: number): number => Math.exp(binomialLogPmf(k, n, p))

// A term this much smaller than the running sum no longer changes it.
const NEGLIGIBLE = 1e-17

/**
 * P(from <= X <= to) for X ~ Binomial(n, p), summing the pmf outward from the point of the
 * range nearest the mode and stopping once terms are negligible: the pmf is unimodal, so
 * every term after that is smaller still. That costs O(sqrt(n p (1 - p))) terms, not O(n).
 *
 * @example binomialRangeProbability(50, 0.05, 1, 50) // 1 - 0.95^50 = 0.92306
 */
export const binomialRangeProbability = (n: number, p: number, from: number, to: number): number => {
  const lo = Math.max(0, Math.ceil(from))
  const hi = Math.min(n, Math.floor(to))
  if (lo > hi) return 0
  if (lo === 0 && hi === n) return 1
  if (p === 0) return lo === 0 ? 1 : 0
  if (p === 1) return hi === n ? 1 : 0
  const mode = Math.min(n, Math.floor((n + 1) * p))
  const start = Math.min(hi, Math.max(lo, mode))
  let sum = binomialPmf(start, n, p)
  for (let k = start + 1; k <= hi; k++) {
    const term = binomialPmf(k, n, p)
    sum += term
    if (term <= sum * NEGLIGIBLE) break
  }
  for (let k = start - 1; k >= lo; k--) {
    const term = binomialPmf(k, n, p)
    sum += term
    if (term <= sum * NEGLIGIBLE) break
  }
  return Math.min(1, sum)
}

/** P(X >= k) for X ~ Binomial(n, p). */
export const binomialUpperTail = (k: number, n: number, p: number): number => binomialRangeProbability(n, p, k, n)

/** P(X <= k) for X ~ Binomial(n, p). */
export const binomialLowerTail = (k: number, n: number, p: number): number => binomialRangeProbability(n, p, 0, k)
