import type { DecisionRule } from "../domain/decision.js"
import { wilson } from "../stats/proportion.js"

/**
 * The variance inflation of clustered samples (Kish's design effect): (clustered SE / naive
 * SE)^2, never below 1 (clustering is not evidence of more independence than the samples
 * have), and 1 when either is missing or zero. n / designEffect is the effective sample size.
 */
export const designEffect = (standardError: number | undefined, clusteredStandardError: number | undefined): number =>
  standardError === undefined || clusteredStandardError === undefined || !(standardError > 0) || !(clusteredStandardError > 0)
    ? 1
    : Math.max(1, (clusteredStandardError / standardError) ** 2)

/**
 * What the rule decides from a measurement of k (sum of scores) over n. Rule-in needs the
 * lower bound at the threshold; rule-out fires unless the upper bound is below it, so
 * "cannot rule out" fires. With clustered samples the bounds are taken at the effective
 * sample size n / designEffect (and k scaled alike), so rule-in does not over-fire and
 * rule-out does not under-fire on samples that are not independent.
 */
export const firesOnMeasurement = (rule: DecisionRule, k: number, n: number, effect = 1): boolean => {
  switch (rule.rule) {
    case "point":
      return n > 0 && k / n >= rule.threshold
    case "rule-in":
      return wilson(k / effect, n / effect, rule.confidence).lower >= rule.threshold
    case "rule-out":
      return !(wilson(k / effect, n / effect, rule.confidence).upper < rule.threshold)
  }
}

/** A threshold as the decimal it prints as (0.2 is 2/10, not the binary double just above it), or undefined if it is not a plain decimal. */
const decimalOf = (x: number): { readonly numerator: bigint; readonly denominator: bigint } | undefined => {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(x))
  if (match === null) return undefined
  const [, whole = "", fraction = "", exponent = "0"] = match
  const scale = fraction.length - Number(exponent)
  const digits = BigInt(whole + fraction)
  return scale >= 0 ? { numerator: digits, denominator: 10n ** BigInt(scale) } : { numerator: digits * 10n ** BigInt(-scale), denominator: 1n }
}

/**
 * What the rule decides from whole scores: `successes` is the sum of every epoch's score (an
 * integer) over n samples asked `epochs` times each. The point rule compares
 * successes / (n * epochs) with the threshold in integer arithmetic: a float sum of
 * per-sample means (j / epochs) drifts below an exact tie (16 comes out as
 * 15.99999999999999), and a tie must fire under "score >= threshold". The interval rules
 * get k = successes / epochs, one division, exact wherever the tie is representable.
 */
export const firesOnCount = (rule: DecisionRule, successes: number, n: number, epochs: number, effect = 1): boolean => {
  const threshold = decimalOf(rule.threshold)
  if (rule.rule !== "point" || threshold === undefined || !Number.isInteger(successes) || !Number.isInteger(n * epochs)) {
    return firesOnMeasurement(rule, successes / epochs, n, effect)
  }
  return n > 0 && BigInt(successes) * threshold.denominator >= threshold.numerator * BigInt(n * epochs)
}

/**
 * The integer count behind a stored sum of per-sample epoch means, when it is one: k * epochs
 * within the float error of summing n terms (a few ulps per term, far below the 1 / epochs
 * spacing of the counts) of a whole number. Undefined when the scores were not whole.
 */
export const wholeCount = (k: number, n: number, epochs: number): number | undefined => {
  const count = Math.round(k * epochs)
  const tolerance = 8 * Number.EPSILON * Math.max(1, n) * Math.max(1, Math.abs(k * epochs))
  return Math.abs(k * epochs - count) <= tolerance ? count : undefined
}

/** What the rule should decide: the true value is known exactly, so every form compares it to the threshold. */
export const firesOnTruth = (rule: DecisionRule, truth: number): boolean => truth >= rule.threshold

export const withThreshold = (rule: DecisionRule, threshold: number | undefined): DecisionRule =>
  threshold === undefined ? rule : { ...rule, threshold }

export const describeRule = (rule: DecisionRule): string => {
  switch (rule.rule) {
    case "point":
      return `score >= ${rule.threshold}`
    case "rule-in":
      return `${Math.round(rule.confidence * 100)}% lower bound >= ${rule.threshold}`
    case "rule-out":
      return `cannot rule out >= ${rule.threshold} at ${Math.round(rule.confidence * 100)}%`
  }
}
