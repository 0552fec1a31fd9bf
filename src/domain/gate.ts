import { Schema } from "effect"
import { Id, Probability } from "./ids.js"

/**
 * How a gate judges a figure against its limit: `bound` (the default) judges a minimum on
 * the confidence interval's lower bound and a maximum on its upper bound, so a gate only
 * passes on evidence; `point` judges point estimates.
 */
export const GateJudgement = Schema.Literal("bound", "point")
export type GateJudgement = typeof GateJudgement.Type

/** A limit for one kind of subject: one value for all of them, and per-id values that replace it. */
export const SubjectLimits = Schema.Struct({
  default: Schema.optional(Probability),
  overrides: Schema.optional(Schema.Record({ key: Id, value: Probability }))
})
export type SubjectLimits = typeof SubjectLimits.Type

/** Limits on triggers and on evaluations, set apart: a policy usually asks more of its triggers. */
export const Limits = Schema.Struct({
  triggers: Schema.optional(SubjectLimits),
  evaluations: Schema.optional(SubjectLimits)
})
export type Limits = typeof Limits.Type

/**
 * The `gate` section of an audit, read by `evalaudit check`: the thresholds a run must meet
 * for CI to pass. Every rule is optional; flags on the command line override these values.
 * No defaults are filled in, so a stored spec keeps exactly what its author wrote.
 */
export const GateSettings = Schema.Struct({
  on: Schema.optional(GateJudgement),
  /**
   * Minimum sensitivity: by default the memo's headline, the mean detection probability over
   * the relevant organisms (organisms as units); with `sensitivityOf: pooled`, caught /
   * (caught + missed) over every organism and replicate.
   */
  minSensitivity: Schema.optional(Limits),
  /** Which sensitivity `minSensitivity` judges: `relevant` (the default) or `pooled`. */
  sensitivityOf: Schema.optional(Schema.Literal("relevant", "pooled")),
  /** Maximum false alarm rate (1 - specificity). */
  maxFalseAlarmRate: Schema.optional(Limits),
  /**
   * `true`: no organism may escape the policy or any trigger in any replicate; a list: only
   * these organisms may not. Escapes are the memo's: from triggers, not evaluation coverage.
   */
  noEscapes: Schema.optional(Schema.Union(Schema.Boolean, Schema.Array(Id))),
  /**
   * Instead of "no escape in any replicate": each at-stake organism's probability of escaping
   * the policy and each trigger may be at most this (its upper bound under `on: bound`), for
   * the organisms `noEscapes` lists, or every organism.
   */
  maxEscapeProbability: Schema.optional(Probability),
  /** Every grader must pass the property battery (which must have run). */
  noGraderFaults: Schema.optional(Schema.Boolean),
  /** No cell may have errored (measured nothing). */
  noErrors: Schema.optional(Schema.Boolean)
})
export type GateSettings = typeof GateSettings.Type
