/**
 * Means of a few values with Student t intervals, and the bias of an evaluation on an
 * organism: measured minus true value, averaged over replicates. Replicates are few (5 by
 * default), so the t quantile matters: with 5 values it is 2.776, not 1.96.
 */
import { mean, standardDeviation, type Interval } from "./proportion.js"
import { studentTQuantile } from "./student-t.js"

export interface MeanEstimate {
  readonly n: number
  readonly mean: number
  /** Sample standard deviation (n - 1); 0 for a single value. */
  readonly standardDeviation: number
  /** standardDeviation / sqrt(n). */
  readonly standardError: number
  /** n - 1. */
  readonly degreesOfFreedom: number
  readonly confidence: number
  /**
   * mean -+ t_{(1 + confidence) / 2, n - 1} * standardError; null for a single value, which
   * carries no estimate of its spread. Values that all agree give a zero-width interval.
   */
  readonly interval: Interval | null
}

/**
 * The mean of `values` with a two-sided Student t interval (n - 1 degrees of freedom).
 *
 * @throws RangeError when `values` is empty.
 * @example meanInterval([1, 2, 3, 4, 5]).interval // [1.037, 4.963]
 */
export const meanInterval = (values: ReadonlyArray<number>, confidence = 0.95): MeanEstimate => {
  const n = values.length
  if (n === 0) throw new RangeError("meanInterval: no values")
  const m = mean(values)
  const sd = standardDeviation(values)
  const se = sd / Math.sqrt(n)
  if (n < 2) return { n, mean: m, standardDeviation: sd, standardError: se, degreesOfFreedom: 0, confidence, interval: null }
  const half = studentTQuantile((1 + confidence) / 2, n - 1) * se
  return {
    n,
    mean: m,
    standardDeviation: sd,
    standardError: se,
    degreesOfFreedom: n - 1,
    confidence,
    interval: { lower: m - half, upper: m + half }
  }
}

export interface BiasEstimate extends MeanEstimate {
  /** The true value every replicate measured. */
  readonly truth: number
  /** Mean of the measured values (`mean` is the mean bias). */
  readonly meanMeasured: number
}

/**
 * Bias of a measurement across replicates: `mean` is the mean of (measured - truth), with a
 * Student t interval over the replicates. An interval that excludes 0 says the bias is not
 * replicate noise.
 *
 * @throws RangeError when `measured` is empty.
 * @example biasInterval([0.46, 0.44, 0.41, 0.47, 0.45], 0.9).mean // -0.454
 */
export const biasInterval = (measured: ReadonlyArray<number>, truth: number, confidence = 0.95): BiasEstimate => {
  const estimate = meanInterval(
    measured.map((x) => x - truth),
    confidence
  )
  return { ...estimate, truth, meanMeasured: mean(measured) }
}
