/**
 * Standard errors of a mean score when samples come in clusters (several questions on one
 * passage, several prompts from one template, epochs of one sample): scores inside a cluster
 * move together, so the naive standard error, which assumes independence, is too small and
 * its interval under-covers. Miller (2024), "Adding Error Bars to Evals", equation 4.
 */
import { mean, normalQuantile, type Interval } from "./proportion.js"
import { studentTQuantile } from "./student-t.js"

/**
 * - `miller`: Miller's equation 4, SE^2 = SE_CLT^2 + (1/n^2) sum_c sum_{i != j in c} d_i d_j with
 *   d = s - mean and SE_CLT^2 = sum d^2 / (n (n - 1)). Singleton clusters have no cross terms, so
 *   it equals the naive standard error exactly.
 * - `cr1`: the econometric CR1 ("Stata") estimator, SE^2 = G/(G - 1) (1/n^2) sum_c (sum_{i in c} d_i)^2
 *   over G clusters. With singleton clusters G = n and it also equals the naive standard error.
 * The two differ by O(1/n) and O(1/G) terms.
 */
export type ClusteredEstimator = "miller" | "cr1"

export interface ClusteredOptions {
  /** Two-sided confidence of the interval (default 0.95). */
  readonly confidence?: number
  /** Default `miller`. */
  readonly estimator?: ClusteredEstimator
  /**
   * `normal` (default, as in Miller) or `t`, Student t with G - 1 degrees of freedom, which
   * widens the interval when clusters are few (a common remedy below about 40 clusters).
   */
  readonly reference?: "normal" | "t"
}

export interface ClusteredMean {
  readonly n: number
  /** Number of distinct cluster labels. */
  readonly clusters: number
  readonly mean: number
  /** sd / sqrt(n) with the n - 1 sample standard deviation: correct only for independent samples. */
  readonly naiveStandardError: number
  readonly clusteredStandardError: number
  /** (clustered / naive)^2: how many times more variance clustering causes; n / designEffect is the effective sample size. */
  readonly designEffect: number
  readonly confidence: number
  /** mean -+ quantile * clusteredStandardError; null with fewer than two clusters (no spread between clusters to measure). */
  readonly interval: Interval | null
}

/**
 * Mean of `scores` with naive and cluster-robust standard errors; `clusters[i]` labels the
 * cluster of `scores[i]` (labels are compared with ===).
 *
 * @throws RangeError when there are no scores or the two arrays differ in length.
 * @example clusteredMean([1, 1, 0, 0, 1, 0], ["a", "a", "b", "b", "c", "c"]).clusteredStandardError // 0.2528
 */
export const clusteredMean = (
  scores: ReadonlyArray<number>,
  clusters: ReadonlyArray<string | number>,
  options: ClusteredOptions = {}
): ClusteredMean => {
  const n = scores.length
  if (n === 0) throw new RangeError("clusteredMean: no scores")
  if (clusters.length !== n) throw new RangeError(`clusteredMean: ${n} scores but ${clusters.length} cluster labels`)
  const confidence = options.confidence ?? 0.95
  const m = mean(scores)
  const sums = new Map<string | number, number>()
  let squares = 0
  scores.forEach((s, i) => {
    const d = s - m
    squares += d * d
    const label = clusters[i] ?? ""
    sums.set(label, (sums.get(label) ?? 0) + d)
  })
  let clusterSquares = 0
  for (const total of sums.values()) clusterSquares += total * total
  const g = sums.size
  const naiveVariance = n < 2 ? 0 : squares / (n * (n - 1))
  // sum_c sum_{i != j} d_i d_j = sum_c (sum_i d_i)^2 - sum_i d_i^2.
  const variance =
    (options.estimator ?? "miller") === "miller"
      ? naiveVariance + (clusterSquares - squares) / (n * n)
      : g < 2
        ? Number.NaN
        : ((g / (g - 1)) * clusterSquares) / (n * n)
  const clusteredStandardError = Math.sqrt(Math.max(0, variance))
  const naiveStandardError = Math.sqrt(naiveVariance)
  const quantile =
    options.reference === "t" && g >= 2 ? studentTQuantile((1 + confidence) / 2, g - 1) : normalQuantile((1 + confidence) / 2)
  return {
    n,
    clusters: g,
    mean: m,
    naiveStandardError,
    clusteredStandardError,
    designEffect: naiveStandardError > 0 ? (clusteredStandardError / naiveStandardError) ** 2 : Number.NaN,
    confidence,
    interval:
      g < 2 || Number.isNaN(clusteredStandardError)
        ? null
        : { lower: m - quantile * clusteredStandardError, upper: m + quantile * clusteredStandardError }
  }
}
