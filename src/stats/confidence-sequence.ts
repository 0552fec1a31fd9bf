/**
 * A sequential rule that compares a rate with a threshold by repeated confidence bounds:
 * at each look it stops "high" (the rate is at or above the threshold) when the lower bound
 * reaches the threshold, and "low" (below it) when the upper bound falls below it. Looking
 * repeatedly at an ordinary 95% interval would inflate the error, so each look spends part
 * of the error budget alpha:
 *
 * - `looks`: K planned looks, each at alpha / K (Bonferroni);
 * - `every-sample`: a look after every outcome, the n-th at 6 alpha / (pi^2 n^2), which sums
 *   to alpha over all n (a simple confidence sequence, valid however long the test runs).
 *
 * Validity: a wrong verdict at a true rate p needs a bound on the wrong side of p (for p at
 * or above the threshold, "low" needs upper < threshold <= p). Each look uses the two-sided
 * interval at confidence 1 - 2 alpha_n, so each one-sided bound fails with probability at
 * most alpha_n (exactly so for Clopper-Pearson, approximately for Wilson), and by the union
 * bound P(any wrong verdict) <= sum alpha_n <= alpha, whatever the stopping. Conservative:
 * the union bound ignores that successive looks are correlated.
 */
import { largestCount, smallestCount } from "./count-search.js"
import { proportionInterval, type IntervalMethod } from "./proportion.js"
import type { Boundary, StoppingRule } from "./sequential.js"

export type LookSchedule =
  | { readonly kind: "looks"; readonly looks: ReadonlyArray<number> }
  | { readonly kind: "every-sample"; readonly maxN: number }

export interface BoundRuleDesign {
  /** The threshold the rate is compared with. */
  readonly threshold: number
  /** Bound on the probability of a wrong verdict ("high" when p < threshold, "low" when p >= threshold). */
  readonly alpha: number
  readonly schedule: LookSchedule
  /** Default `clopper-pearson`, whose guarantee is exact; `wilson` is narrower but only approximately valid. */
  readonly method?: IntervalMethod
}

/** The error spent at a look after n outcomes, or null when n is not a look. */
export const lookAlpha = (design: BoundRuleDesign, n: number): number | null => {
  const s = design.schedule
  switch (s.kind) {
    case "looks":
      return s.looks.includes(n) ? design.alpha / s.looks.length : null
    case "every-sample":
      return n >= 1 && n <= s.maxN ? (6 * design.alpha) / (Math.PI * Math.PI * n * n) : null
  }
}

const checkDesign = (d: BoundRuleDesign): void => {
  if (!(d.alpha > 0 && d.alpha < 0.5)) throw new RangeError(`bound rule: alpha must be in (0, 0.5), got ${d.alpha}`)
  if (!(d.threshold >= 0 && d.threshold <= 1)) throw new RangeError(`bound rule: threshold must be in [0, 1], got ${d.threshold}`)
  const s = d.schedule
  if (s.kind === "looks") {
    if (s.looks.length === 0) throw new RangeError("bound rule: no looks")
    s.looks.forEach((n, i) => {
      if (!Number.isInteger(n) || n < 1 || (i > 0 && n <= (s.looks[i - 1] ?? 0))) {
        throw new RangeError(`bound rule: looks must be increasing positive integers, got ${s.looks.join(", ")}`)
      }
    })
  } else if (!Number.isInteger(s.maxN) || s.maxN < 1) throw new RangeError(`bound rule: maxN must be a positive integer, got ${s.maxN}`)
}

/**
 * The repeated-bound rule as a `StoppingRule`: "high" = the rate is at or above the threshold,
 * "low" = below it, "undecided" when the last look settles neither. Boundaries are found once
 * per look by bisection over k (both bounds increase with k) and cached.
 *
 * @throws RangeError on an invalid design.
 */
export const boundRule = (design: BoundRuleDesign): StoppingRule => {
  checkDesign(design)
  const method = design.method ?? "clopper-pearson"
  const t = design.threshold
  const cache = new Map<number, Boundary>()
  const boundary = (n: number): Boundary => {
    const cached = cache.get(n)
    if (cached !== undefined) return cached
    const spent = lookAlpha(design, n)
    let result: Boundary = { high: n + 1, low: -1 }
    if (spent !== null) {
      const confidence = 1 - 2 * spent
      // Stop high from the smallest k whose lower bound reaches t; low up to the largest whose upper bound is below t.
      const high = smallestCount(n, (k) => proportionInterval(method, k, n, confidence).lower >= t)
      const low = largestCount(n, (k) => proportionInterval(method, k, n, confidence).upper < t)
      result = { high, low }
    }
    cache.set(n, result)
    return result
  }
  const s = design.schedule
  const maxN = s.kind === "looks" ? (s.looks[s.looks.length - 1] ?? 1) : s.maxN
  return { maxN, boundary, atHorizon: () => "undecided" }
}
