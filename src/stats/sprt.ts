/**
 * Wald's sequential probability ratio test for a Bernoulli rate, H0: p = p0 against
 * H1: p = p1 > p0 (for example "defects at most 1% of the time" against "5%"). After each
 * outcome the log-likelihood ratio
 *   llr = k ln(p1 / p0) + (n - k) ln((1 - p1) / (1 - p0))
 * is compared with A = ln((1 - beta) / alpha) (accept H1 at or above) and
 * B = ln(beta / (1 - alpha)) (accept H0 at or below). Wald's bounds give error rates of
 * about alpha and beta (at most alpha / (1 - beta) and beta / (1 - alpha)) and, typically,
 * half the samples of the fixed-n test with the same error rates.
 */
import { verdictAt, type Boundary, type StoppingRule } from "./sequential.js"

export interface SprtDesign {
  /** Rate under H0 (0 < p0 < p1). */
  readonly p0: number
  /** Rate under H1 (p1 < 1). */
  readonly p1: number
  /** Type I error: P(accept H1 | p0). */
  readonly alpha: number
  /** Type II error: P(accept H0 | p1). */
  readonly beta: number
  /**
   * Optional truncation: after maxN outcomes without a decision, accept H1 if llr >= 0 (the
   * data are at least as likely under H1), else H0. This picks the likelier hypothesis, and
   * leans to H1 ("flag") on a tie, as a safety screen should; it adds a little to both error
   * rates (exactly how much: `operatingCharacteristics(sprtRule(design), p)`).
   */
  readonly maxN?: number
}

export interface SprtThresholds {
  /** A = ln((1 - beta) / alpha): accept H1 when llr >= A. */
  readonly upper: number
  /** B = ln(beta / (1 - alpha)): accept H0 when llr <= B. */
  readonly lower: number
}

/**
 * Wald's log thresholds.
 *
 * @example sprtThresholds(0.05, 0.05) // { upper: 2.944, lower: -2.944 }
 */
export const sprtThresholds = (alpha: number, beta: number): SprtThresholds => ({
  upper: Math.log((1 - beta) / alpha),
  lower: Math.log(beta / (1 - alpha))
})

const checkDesign = (d: SprtDesign): void => {
  if (!(d.p0 > 0 && d.p0 < d.p1 && d.p1 < 1)) throw new RangeError(`SPRT: need 0 < p0 < p1 < 1, got p0 = ${d.p0}, p1 = ${d.p1}`)
  if (!(d.alpha > 0 && d.beta > 0 && d.alpha + d.beta < 1)) throw new RangeError(`SPRT: need alpha, beta > 0 and alpha + beta < 1`)
  if (d.maxN !== undefined && !(d.maxN >= 1)) throw new RangeError(`SPRT: maxN must be at least 1, got ${d.maxN}`)
}

/** Log-likelihood ratio after k events in n outcomes; computed from the counts, so stepping and exact analysis agree to the bit. */
export const sprtLogLikelihoodRatio = (design: SprtDesign, n: number, k: number): number =>
  k * Math.log(design.p1 / design.p0) + (n - k) * Math.log((1 - design.p1) / (1 - design.p0))

/** The SPRT as a `StoppingRule` (boundaries in counts), for `operatingCharacteristics` and `simulateStoppingRule`. */
export const sprtRule = (design: SprtDesign): StoppingRule => {
  checkDesign(design)
  const { upper, lower } = sprtThresholds(design.alpha, design.beta)
  const a = Math.log(design.p1 / design.p0)
  const b = Math.log((1 - design.p1) / (1 - design.p0))
  const llr = (n: number, k: number): number => sprtLogLikelihoodRatio(design, n, k)
  // Boundaries are asked for at every step of every run: compute each once.
  const cache = new Map<number, Boundary>()
  const boundary = (n: number): Boundary => {
    const cached = cache.get(n)
    if (cached !== undefined) return cached
    const computed = crossing(n)
    cache.set(n, computed)
    return computed
  }
  const crossing = (n: number): Boundary => {
    // llr rises with k (slope a - b > 0): start from the real-valued crossing, then settle the
    // integer with the exact predicate so rounding cannot make the two disagree.
    let high = Math.min(n + 1, Math.max(0, Math.ceil((upper - n * b) / (a - b))))
    while (high > 0 && llr(n, high - 1) >= upper) high--
    while (high <= n && llr(n, high) < upper) high++
    let low = Math.min(n, Math.max(-1, Math.floor((lower - n * b) / (a - b))))
    while (low < n && llr(n, low + 1) <= lower) low++
    while (low >= 0 && llr(n, low) > lower) low--
    return { high, low }
  }
  const maxN = design.maxN ?? Infinity
  return { maxN, boundary, atHorizon: (k) => (llr(maxN, k) >= 0 ? "high" : "low") }
}

export type SprtDecision = "continue" | "accept-h0" | "accept-h1"

export interface SprtState {
  readonly design: SprtDesign
  readonly rule: StoppingRule
  readonly n: number
  readonly successes: number
  readonly logLikelihoodRatio: number
  readonly decision: SprtDecision
  /** The decision was forced by the maxN truncation, not reached by crossing a threshold. */
  readonly truncated: boolean
}

/** A fresh SPRT before any outcome. @throws RangeError on an invalid design. */
export const sprtStart = (design: SprtDesign): SprtState => ({
  design,
  rule: sprtRule(design),
  n: 0,
  successes: 0,
  logLikelihoodRatio: 0,
  decision: "continue",
  truncated: false
})

/**
 * Adds one outcome (1 = the event under test) and decides: continue, accept H0 or accept H1.
 * A decided state is returned unchanged.
 */
export const sprtStep = (state: SprtState, outcome: 0 | 1): SprtState => {
  if (state.decision !== "continue") return state
  const n = state.n + 1
  const successes = state.successes + outcome
  const verdict = verdictAt(state.rule, n, successes)
  const b = state.rule.boundary(n)
  return {
    ...state,
    n,
    successes,
    logLikelihoodRatio: sprtLogLikelihoodRatio(state.design, n, successes),
    decision: verdict === "high" ? "accept-h1" : verdict === "low" ? "accept-h0" : "continue",
    truncated: verdict !== "continue" && successes < b.high && successes > b.low
  }
}

export interface WaldApproximation {
  /** Wald's operating characteristic: P(accept H1) at rate p (alpha at p0, 1 - beta at p1). */
  readonly acceptH1: number
  /** Wald's average sample number at rate p (ignores the overshoot past a threshold, so slightly low; ignores truncation). */
  readonly expectedSampleSize: number
}

/**
 * Wald's approximations to the untruncated SPRT at any true rate p in (0, 1): with h != 0
 * solving p e^(h a) + (1 - p) e^(h b) = 1 (a, b the per-outcome log ratios),
 * P(accept H0) = L = (e^(hA) - 1) / (e^(hA) - e^(hB)) and
 * ASN = (L B + (1 - L) A) / E[z], or -A B / E[z^2] where E[z] = 0.
 *
 * @example waldApproximation({ p0: 0.05, p1: 0.15, alpha: 0.05, beta: 0.05 }, 0.05).acceptH1 // 0.05
 */
export const waldApproximation = (design: SprtDesign, p: number): WaldApproximation => {
  checkDesign(design)
  if (!(p > 0 && p < 1)) throw new RangeError(`waldApproximation: p must be in (0, 1), got ${p}`)
  const { upper: A, lower: B } = sprtThresholds(design.alpha, design.beta)
  const a = Math.log(design.p1 / design.p0)
  const b = Math.log((1 - design.p1) / (1 - design.p0))
  const drift = p * a + (1 - p) * b
  const second = p * a * a + (1 - p) * b * b
  if (Math.abs(drift) < 1e-12 * Math.sqrt(second)) {
    const acceptH0 = A / (A - B)
    return { acceptH1: 1 - acceptH0, expectedSampleSize: (-A * B) / second }
  }
  // g(h) = p e^(ha) + (1 - p) e^(hb) - 1 is convex with g(0) = 0 and g'(0) = drift, so its other
  // root has the sign opposite to the drift; bracket it and bisect.
  const g = (h: number): number => p * Math.expm1(h * a) + (1 - p) * Math.expm1(h * b)
  const direction = drift < 0 ? 1 : -1
  let inner = 0
  let outer = direction
  while (g(outer) < 0) {
    inner = outer
    outer *= 2
  }
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (inner + outer)
    if (mid === inner || mid === outer) break
    if (g(mid) < 0) inner = mid
    else outer = mid
  }
  const h = 0.5 * (inner + outer)
  const acceptH0 = Math.expm1(h * A) / (Math.expm1(h * A) - Math.expm1(h * B))
  return { acceptH1: 1 - acceptH0, expectedSampleSize: (acceptH0 * B + (1 - acceptH0) * A) / drift }
}
