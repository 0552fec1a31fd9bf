import { Schema } from "effect"

/**
 * What one measurement decided, against what the organism's truth called for. A cell
 * that measured nothing is an `error`, never caught or missed.
 */
export const Outcome = Schema.Literal("caught", "missed", "false-alarm", "correct-pass")
export type Outcome = typeof Outcome.Type

export const classify = (shouldFire: boolean, didFire: boolean): Outcome =>
  shouldFire ? (didFire ? "caught" : "missed") : didFire ? "false-alarm" : "correct-pass"

/** One evaluation run against one organism in one replicate. */
export const CellResult = Schema.Union(
  Schema.TaggedStruct("Measured", {
    evaluation: Schema.String,
    organism: Schema.String,
    replicate: Schema.Int,
    /** Sum of scores and number of scores (samples x epochs). */
    k: Schema.Number,
    n: Schema.Int,
    measured: Schema.Number,
    truth: Schema.Number,
    shouldFire: Schema.Boolean,
    didFire: Schema.Boolean,
    outcome: Outcome,
    /** Standard error of the measured mean over samples (naive, samples independent). */
    standardError: Schema.optional(Schema.Number),
    /** Cluster-robust standard error, when the evaluation names a cluster field. */
    clusteredStandardError: Schema.optional(Schema.Number),
    /** What a sequential design concluded ("undecided": it used every sample, the fixed rule decided). */
    sequentialVerdict: Schema.optional(Schema.Literal("high", "low", "undecided"))
  }),
  Schema.TaggedStruct("Errored", {
    evaluation: Schema.String,
    organism: Schema.String,
    replicate: Schema.Int,
    reason: Schema.String
  })
)
export type CellResult = typeof CellResult.Type

/** One trigger's decision for one organism in one replicate. */
export const TriggerResult = Schema.Union(
  Schema.TaggedStruct("Decided", {
    trigger: Schema.String,
    organism: Schema.String,
    replicate: Schema.Int,
    shouldFire: Schema.Boolean,
    didFire: Schema.Boolean,
    outcome: Outcome
  }),
  Schema.TaggedStruct("Errored", {
    trigger: Schema.String,
    organism: Schema.String,
    replicate: Schema.Int,
    reason: Schema.String
  })
)
export type TriggerResult = typeof TriggerResult.Type

/** One graded response, as stored. */
export interface SampleResult {
  readonly sample: string
  readonly epoch: number
  readonly response: string
  readonly score: number
  readonly explanation: string
}
