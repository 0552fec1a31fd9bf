import type { DecisionRule } from "../domain/decision.js"
import { wilson } from "../stats/proportion.js"

/**
 * What the rule decides from a measurement of k (sum of scores) over n. Rule-in needs the
 * lower bound at the threshold; rule-out fires unless the upper bound is below it, so
 * "cannot rule out" fires.
 */
export const firesOnMeasurement = (rule: DecisionRule, k: number, n: number): boolean => {
  switch (rule.rule) {
    case "point":
      return n > 0 && k / n >= rule.threshold
    case "rule-in":
      return wilson(k, n, rule.confidence).lower >= rule.threshold
    case "rule-out":
      return !(wilson(k, n, rule.confidence).upper < rule.threshold)
  }
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
