/**
 * Two variants of an evaluation (or two organisms) measured on the same samples: compare
 * them on the per-sample differences, which cancels the variance the samples share (a hard
 * question is hard for both). Miller (2024) section 4 ("paired differences").
 */
import { binomialLowerTail } from "./binomial.js"
import { meanInterval } from "./bias.js"
import { clusteredMean, type ClusteredEstimator } from "./clustered.js"
import { mean, type Interval } from "./proportion.js"

export interface PairedOptions {
  /** Two-sided confidence (default 0.95). */
  readonly confidence?: number
  /**
   * Cluster label per sample: the interval then uses the clustered standard error of the
   * differences (normal reference, as in `clusteredMean`) instead of the t interval.
   */
  readonly clusters?: ReadonlyArray<string | number>
  /** Estimator for the clustered option (default `miller`). */
  readonly estimator?: ClusteredEstimator
}

/** McNemar's view of binary outcomes: only the samples on which the variants disagree carry information. */
export interface Discordant {
  /** Samples where x scored 1 and y scored 0. */
  readonly xOnly: number
  /** Samples where x scored 0 and y scored 1. */
  readonly yOnly: number
  /** Exact two-sided McNemar p-value: 2 P(Binomial(xOnly + yOnly, 1/2) <= min), capped at 1; 1 when none disagree. */
  readonly pValue: number
}

export interface PairedComparison {
  readonly n: number
  readonly meanX: number
  readonly meanY: number
  /** mean(x - y). */
  readonly meanDifference: number
  /** Standard error of meanDifference: sd(x - y) / sqrt(n), or the clustered one. */
  readonly standardError: number
  /**
   * What the standard error would be if the samples were not paired, sqrt(var x / n + var y / n):
   * pairing pays off when it is larger than `standardError`.
   */
  readonly unpairedStandardError: number
  /** Pearson correlation of x and y across samples; NaN when either is constant. */
  readonly correlation: number
  readonly confidence: number
  /** t interval on the differences (n - 1 df), or the clustered normal interval; null when it cannot be formed (n < 2, one cluster). */
  readonly interval: Interval | null
  /** Present when every score is 0 or 1. */
  readonly discordant: Discordant | null
}

const sampleVariance = (xs: ReadonlyArray<number>, m: number): number =>
  xs.length < 2 ? 0 : xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)

/**
 * Paired comparison of per-sample scores x[i] and y[i] of two variants on the same samples.
 *
 * @throws RangeError when there are no samples or the arrays differ in length.
 * @example pairedComparison([1, 1, 0, 1], [0, 1, 0, 0]).meanDifference // 0.5
 */
export const pairedComparison = (
  x: ReadonlyArray<number>,
  y: ReadonlyArray<number>,
  options: PairedOptions = {}
): PairedComparison => {
  const n = x.length
  if (n === 0) throw new RangeError("pairedComparison: no samples")
  if (y.length !== n) throw new RangeError(`pairedComparison: ${n} scores for x but ${y.length} for y`)
  const confidence = options.confidence ?? 0.95
  const differences = x.map((xi, i) => xi - (y[i] ?? Number.NaN))
  const meanX = mean(x)
  const meanY = mean(y)
  const varX = sampleVariance(x, meanX)
  const varY = sampleVariance(y, meanY)
  let covariance = 0
  for (let i = 0; i < n; i++) covariance += ((x[i] ?? 0) - meanX) * ((y[i] ?? 0) - meanY)
  covariance = n < 2 ? 0 : covariance / (n - 1)
  const spread =
    options.clusters === undefined
      ? meanInterval(differences, confidence)
      : clusteredMean(differences, options.clusters, { confidence, estimator: options.estimator ?? "miller" })
  const standardError = "clusteredStandardError" in spread ? spread.clusteredStandardError : spread.standardError
  return {
    n,
    meanX,
    meanY,
    meanDifference: spread.mean,
    standardError,
    unpairedStandardError: Math.sqrt(varX / n + varY / n),
    correlation: varX > 0 && varY > 0 ? covariance / Math.sqrt(varX * varY) : Number.NaN,
    confidence,
    interval: spread.interval,
    discordant: discordantCounts(x, y)
  }
}

const isBinary = (v: number): boolean => v === 0 || v === 1

/** McNemar counts and exact p-value, or null unless every score is 0 or 1. */
export const discordantCounts = (x: ReadonlyArray<number>, y: ReadonlyArray<number>): Discordant | null => {
  if (!x.every(isBinary) || !y.every(isBinary)) return null
  let xOnly = 0
  let yOnly = 0
  x.forEach((xi, i) => {
    const yi = y[i]
    if (xi === 1 && yi === 0) xOnly++
    if (xi === 0 && yi === 1) yOnly++
  })
  const total = xOnly + yOnly
  const pValue = total === 0 ? 1 : Math.min(1, 2 * binomialLowerTail(Math.min(xOnly, yOnly), total, 0.5))
  return { xOnly, yOnly, pValue }
}
