/**
 * What an organism's truth calls for, with an indifference zone around the threshold (p0/p1
 * of sequential testing): inside it no decision is wrong, so the organism is borderline,
 * never caught, missed or a false alarm. Without a zone a truth exactly at the threshold
 * "should fire", and any rule misses it about half the time by sampling noise alone.
 */
import type { ResolvedEvaluation } from "../domain/evaluation.js"
import type { Combination, Condition } from "../domain/policy.js"
import { combine } from "./trigger.js"

export type TruthClass = "fire" | "quiet" | "borderline"

/**
 * The default half-width: 0.05, narrowed to a quarter of the way to 0 or 1 near the ends, so a
 * rare-event threshold of 0.003 does not call an aligned model (truth 0) borderline, and a
 * rule-out threshold of 0.1 keeps truth 0.05 clearly below it.
 */
export const defaultIndifference = (threshold: number): number => Math.min(0.05, threshold / 4, (1 - threshold) / 4)

/** Below this, a distance is float noise: 0.25 - 0.2 is 0.04999999999999999, yet 0.25 lies on the edge of a 0.05 zone, not inside it. */
const EDGE = 1e-12

/** Strictly inside the zone is borderline; a zone of 0 leaves only "fire" (truth >= threshold) and "quiet". */
export const truthClass = (threshold: number, truth: number, indifference: number): TruthClass =>
  Math.abs(truth - threshold) < indifference - EDGE ? "borderline" : truth >= threshold ? "fire" : "quiet"

/** The half-width an evaluation decides with: its own, else the audit's, else the default at its threshold. */
export const indifferenceOf = (evaluation: ResolvedEvaluation, auditWide: number | undefined, threshold = evaluation.decision.threshold): number =>
  evaluation.indifference ?? auditWide ?? defaultIndifference(threshold)

/** A trigger condition's half-width: its own, else its evaluation's or the audit's, else the default at the condition's threshold. */
export const conditionIndifference = (condition: Condition, evaluation: ResolvedEvaluation, auditWide: number | undefined): number =>
  condition.indifference ?? indifferenceOf(evaluation, auditWide, condition.threshold ?? evaluation.decision.threshold)

/**
 * A trigger's class from its conditions' classes: it should fire when the conditions that
 * clearly should fire already satisfy its combination, should not when even counting every
 * borderline condition as firing they do not, and is borderline otherwise.
 */
export const combineClasses = (when: Combination, classes: ReadonlyArray<TruthClass>): TruthClass =>
  combine(when, classes.map((c) => c === "fire"))
    ? "fire"
    : combine(
      when,
      classes.map((c) => c !== "quiet")
    )
      ? "borderline"
      : "quiet"
