import type { BiasIntervalJson } from "../domain/statistics-summary.js"
import { biasInterval } from "../stats/bias.js"

const round = (x: number): number => Math.round(x * 1e6) / 1e6

/**
 * The mean bias (measured - truth) of an evaluation on one organism over its replicates,
 * with a Student t interval: with 5 replicates the quantile is 2.776, not 1.96. Null with
 * fewer than two replicates (one value says nothing about spread) or a value that is not a
 * finite number (it would not survive JSON).
 */
export const biasSummary = (measured: ReadonlyArray<number>, truth: number, confidence = 0.95): BiasIntervalJson | null => {
  if (measured.length < 2 || !Number.isFinite(truth) || !measured.every(Number.isFinite)) return null
  const estimate = biasInterval(measured, truth, confidence)
  if (estimate.interval === null) return null
  return {
    replicates: estimate.n,
    mean: round(estimate.mean),
    standardError: round(estimate.standardError),
    confidence,
    lower: round(estimate.interval.lower),
    upper: round(estimate.interval.upper)
  }
}
