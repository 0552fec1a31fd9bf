/**
 * Student's t distribution, for intervals around means estimated from few values (bias
 * across a handful of replicates, paired differences). Both functions go through the
 * incomplete beta function: T^2 / (df + T^2) ~ Beta(1/2, df/2).
 */
import { inverseRegularizedBeta, regularizedBeta } from "./beta.js"
import { normalQuantile } from "./proportion.js"

const checkDf = (df: number): void => {
  if (!(df > 0)) throw new RangeError(`Student t: degrees of freedom must be positive, got ${df}`)
}

/**
 * P(T <= t) for T ~ Student t with `df` degrees of freedom (df > 0, need not be an integer).
 *
 * @example studentTCdf(2.776, 4) // ~0.975
 */
export const studentTCdf = (t: number, df: number): number => {
  checkDf(df)
  if (Number.isNaN(t)) return Number.NaN
  if (t === Infinity) return 1
  if (t === -Infinity) return 0
  if (df === Infinity) return 1 - normalTail(t)
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5)
  return t > 0 ? 1 - tail : tail
}

// Upper tail of the standard normal, from the t CDF's limit; only used for df = Infinity.
const normalTail = (t: number): number => 0.5 * erfc(t / Math.SQRT2)

// Complementary error function (Numerical Recipes' erfcc, relative error < 1.2e-7): enough for
// the df = Infinity corner, which callers rarely reach (they pass finite df).
const erfc = (x: number): number => {
  const z = Math.abs(x)
  const t = 1 / (1 + 0.5 * z)
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
          t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    )
  return x >= 0 ? r : 2 - r
}

/**
 * The p-quantile of Student's t with `df` degrees of freedom: the t with P(T <= t) = p.
 * df = Infinity gives the normal quantile.
 *
 * @example studentTQuantile(0.975, 4) // 2.776445
 */
export const studentTQuantile = (p: number, df: number): number => {
  checkDf(df)
  if (p <= 0) return -Infinity
  if (p >= 1) return Infinity
  if (p === 0.5) return 0
  if (df === Infinity) return normalQuantile(p)
  // P(|T| <= t) = I_u(1/2, df/2) with u = t^2 / (df + t^2): solve for u, then t = sqrt(df u / (1 - u)).
  // Solving for u (not 1 - u) keeps relative precision when df is large and u is small.
  const u = inverseRegularizedBeta(Math.abs(2 * p - 1), 0.5, df / 2)
  const t = Math.sqrt((df * u) / (1 - u))
  return p > 0.5 ? t : -t
}
