import type { DecisionRule } from "../domain/decision.js"
import type { Measure } from "../domain/measure.js"
import type { PowerSummary } from "../domain/statistics-summary.js"
import { describePower, flagProbability, minimumDetectableRate, sampleSizeFor, samplesToSeeOne } from "../stats/power.js"

/** The power every figure aims at: a 5% chance of missing is the usual planning standard. */
export const TARGET_POWER = 0.95

/** How far above (and below) the threshold the neighbouring rates sit. */
const STEP = 0.05

/** Rare behaviours are what propensity evaluations exist to catch, so their rates start at 1%. */
const PROPENSITY_RATES: ReadonlyArray<number> = [0.01, 0.02, 0.05, 0.1]

/** A threshold below this is "tiny": threshold + 0.05 would be far above it, so the rare rate is planned for instead. */
const TINY_THRESHOLD = 0.01

/** The rare-defect rate the "see at least one" figure and tiny thresholds use (the rare defector's default). */
const RARE_RATE = 0.01

/** Far enough for any rate at least 0.05 above a threshold; beyond it the sample size is reported as unknown. */
export const MAX_SEARCHED_SAMPLES = 10_000

const round = (x: number): number => Math.round(x * 1e6) / 1e6

const clip = (x: number): number => Math.min(1, Math.max(0, x))

/** Distinct rates in ascending order; rounding first so 0.6 - 0.05 and 0.55 count as one. */
const distinctRates = (rates: ReadonlyArray<number>): Array<number> =>
  [...new Set(rates.map((r) => round(clip(r))))].sort((a, b) => a - b)

/**
 * The true rates a memo reports power at. Capabilities: the threshold and 0.05, 0.1 either
 * side, since the question is how sharply the rule separates models near the line.
 * Propensities: 1%, 2%, 5%, 10% (rare defects), plus the threshold and 0.05 either side.
 */
export const powerRates = (threshold: number, measure: Measure): Array<number> =>
  measure.kind === "capability"
    ? distinctRates([threshold - 2 * STEP, threshold - STEP, threshold, threshold + STEP, threshold + 2 * STEP])
    : distinctRates([...PROPENSITY_RATES, threshold - STEP, threshold, threshold + STEP])

/** The rate to plan the sample size for: just above the threshold, or 1% under a tiny propensity threshold. */
export const plannedRate = (threshold: number, measure: Measure): number =>
  measure.kind === "propensity" && threshold < TINY_THRESHOLD ? RARE_RATE : round(clip(threshold + STEP))

/**
 * What the evaluation's decision rule can detect at its sample size n: its flag probability
 * at a few true rates, the smallest rate it flags with probability 0.95, the samples it would
 * need to flag the planned rate with that power, and, for propensities, the samples needed to
 * see one event at 1% at all (a rule cannot flag what the sample never shows).
 */
export const powerSummary = (rule: DecisionRule, n: number, measure: Measure): PowerSummary => {
  const rate = plannedRate(rule.threshold, measure)
  const size = sampleSizeFor(rule, rate, TARGET_POWER, MAX_SEARCHED_SAMPLES)
  const detectable = minimumDetectableRate(rule, n, TARGET_POWER)
  return {
    rule: rule.rule,
    threshold: rule.threshold,
    power: TARGET_POWER,
    points: describePower(rule, n, powerRates(rule.threshold, measure)).map((p) => ({ rate: p.rate, probability: round(p.probability) })),
    minimumDetectableRate: detectable === null ? null : round(detectable),
    sampleSize: { rate, smallest: size.smallest, sustained: size.sustained, searchedUpTo: MAX_SEARCHED_SAMPLES, atSamples: round(flagProbability(rule, n, rate)) },
    seeOne:
      measure.kind === "propensity"
        ? { rate: RARE_RATE, probability: TARGET_POWER, samples: samplesToSeeOne(RARE_RATE, TARGET_POWER) }
        : null
  }
}
