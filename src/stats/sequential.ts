/**
 * Sequential tests on a stream of 0/1 outcomes (one per sample), which stop as soon as the
 * evidence settles the question instead of spending a fixed n. Every test here is a
 * `StoppingRule`: after n outcomes with k successes it stops "high" when k reaches an upper
 * boundary, "low" when k falls to a lower one, and at its horizon stops "high", "low" or
 * "undecided". Because the decision depends on (n, k) only, its operating characteristics
 * (error rates, expected sample size) can be computed exactly by dynamic programming over k,
 * and checked against simulation.
 */
import { seededStream } from "./seeded-stream.js"

/** What a sequential test says after an outcome. */
export type Verdict = "continue" | "high" | "low" | "undecided"

/** Stop "high" when k >= high, "low" when k <= low (high > low; use n + 1 and -1 for "never"). */
export interface Boundary {
  readonly high: number
  readonly low: number
}

export interface StoppingRule {
  /** Horizon: the test always stops by this many outcomes (Infinity for an open-ended test). */
  readonly maxN: number
  /** The boundary after n outcomes, n >= 1. */
  readonly boundary: (n: number) => Boundary
  /** The verdict at the horizon with k successes when neither boundary was reached. */
  readonly atHorizon: (k: number) => "high" | "low" | "undecided"
}

/** The verdict of `rule` after n outcomes with k successes. */
export const verdictAt = (rule: StoppingRule, n: number, k: number): Verdict => {
  const b = rule.boundary(n)
  if (k >= b.high) return "high"
  if (k <= b.low) return "low"
  return n >= rule.maxN ? rule.atHorizon(k) : "continue"
}

/** Running state of a sequential test; a stopped state ignores further outcomes. */
export interface SequentialState {
  readonly rule: StoppingRule
  readonly n: number
  readonly successes: number
  readonly verdict: Verdict
}

export const sequentialStart = (rule: StoppingRule): SequentialState => ({ rule, n: 0, successes: 0, verdict: "continue" })

/** Adds one outcome (1 = the event, for example a defection) and re-evaluates. */
export const sequentialStep = (state: SequentialState, outcome: 0 | 1): SequentialState => {
  if (state.verdict !== "continue") return state
  const n = state.n + 1
  const successes = state.successes + outcome
  return { rule: state.rule, n, successes, verdict: verdictAt(state.rule, n, successes) }
}

export interface OperatingCharacteristics {
  /** P(stop "high"), for example accepting H1 or settling "at or above the threshold". */
  readonly high: number
  readonly low: number
  readonly undecided: number
  /** E[number of outcomes used]; runs still going at the computation horizon count as the horizon (a lower bound then). */
  readonly expectedSampleSize: number
  /** Probability mass still running at the computation horizon (0 for a test with a finite maxN). */
  readonly unresolved: number
}

/**
 * Exact operating characteristics of `rule` when outcomes are Bernoulli(p): the distribution of
 * k among runs still going is advanced one outcome at a time, and the mass that crosses a
 * boundary is booked to its verdict. O(n^2) for a horizon n; an open-ended rule is followed
 * until less than 1e-12 of the mass is left running, or `horizon` outcomes.
 */
export const operatingCharacteristics = (rule: StoppingRule, p: number, horizon = 100_000): OperatingCharacteristics => {
  const limit = Math.min(rule.maxN, horizon)
  let running = new Float64Array(1)
  running[0] = 1
  let lo = 0 // support of `running` is lo..hi
  let hi = 0
  let high = 0
  let low = 0
  let undecided = 0
  let expected = 0
  let alive = 1
  for (let n = 1; n <= limit && alive > 1e-12; n++) {
    const next = new Float64Array(n + 1)
    for (let k = lo; k <= hi; k++) {
      const mass = running[k] ?? 0
      next[k] = (next[k] ?? 0) + mass * (1 - p)
      next[k + 1] = (next[k + 1] ?? 0) + mass * p
    }
    hi = Math.min(n, hi + 1)
    const b = rule.boundary(n)
    const last = n >= rule.maxN
    let newLo = n + 1
    let newHi = -1
    alive = 0
    for (let k = lo; k <= hi; k++) {
      const mass = next[k] ?? 0
      if (mass === 0) continue
      const verdict: Verdict = k >= b.high ? "high" : k <= b.low ? "low" : last ? rule.atHorizon(k) : "continue"
      if (verdict === "continue") {
        alive += mass
        if (k < newLo) newLo = k
        if (k > newHi) newHi = k
        continue
      }
      next[k] = 0
      expected += n * mass
      if (verdict === "high") high += mass
      else if (verdict === "low") low += mass
      else undecided += mass
    }
    running = next
    lo = newLo
    hi = newHi
    if (newHi < 0) alive = 0
  }
  return { high, low, undecided, expectedSampleSize: expected + limit * alive, unresolved: alive }
}

export interface SimulatedCharacteristics extends OperatingCharacteristics {
  readonly runs: number
}

/**
 * Monte Carlo estimate of the same characteristics: `runs` independent runs with Bernoulli(p)
 * outcomes from `seededStream(seed)`, each cut at `horizon` outcomes (counted as unresolved).
 */
export const simulateStoppingRule = (rule: StoppingRule, p: number, runs: number, seed: string, horizon = 100_000): SimulatedCharacteristics => {
  const uniform = seededStream(seed)
  let high = 0
  let low = 0
  let undecided = 0
  let unresolved = 0
  let total = 0
  for (let r = 0; r < runs; r++) {
    let n = 0
    let k = 0
    let verdict: Verdict = "continue"
    while (verdict === "continue" && n < horizon) {
      n++
      if (uniform() < p) k++
      verdict = verdictAt(rule, n, k)
    }
    total += n
    if (verdict === "high") high++
    else if (verdict === "low") low++
    else if (verdict === "undecided") undecided++
    else unresolved++
  }
  return { runs, high: high / runs, low: low / runs, undecided: undecided / runs, unresolved: unresolved / runs, expectedSampleSize: total / runs }
}

/**
 * Exact expected number of outcomes `rule` uses when the true rate is p (the average sample
 * number, for reports such as "settles after 55 samples on average"); see `operatingCharacteristics`.
 *
 * @example expectedSampleSize(sprtRule({ p0: 0.05, p1: 0.15, alpha: 0.05, beta: 0.05 }), 0.05) // 55.0
 */
export const expectedSampleSize = (rule: StoppingRule, p: number): number => operatingCharacteristics(rule, p).expectedSampleSize
