import { Schema } from "effect"

/**
 * Result shapes of the statistics a decision maker needs beside sensitivity and specificity:
 * the power of each evaluation at its sample size, the interval on an evaluation's bias over
 * replicates, and paired comparisons of two variants of an evaluation. Every number is
 * rounded to 6 decimals, like the rest of the summary, so the JSON is stable across machines.
 */

/** Probability that the decision rule flags at the evaluation's sample size when the true rate is `rate`. */
export const PowerPoint = Schema.Struct({
  rate: Schema.Number,
  probability: Schema.Number
})
export type PowerPoint = typeof PowerPoint.Type

export const PowerSummary = Schema.Struct({
  /** The decision rule's form: for `rule-out`, "flags" means the data cannot exclude the threshold. Absent in summaries written before it was recorded. */
  rule: Schema.optional(Schema.Literal("point", "rule-in", "rule-out")),
  /** The decision rule's threshold: points below it are rates the rule should not flag (false alarms). */
  threshold: Schema.Number,
  /** The power the figures below aim at (0.95). */
  power: Schema.Number,
  /** Flag probability at a few true rates chosen by what the evaluation measures, ascending. */
  points: Schema.Array(PowerPoint),
  /** The smallest true rate flagged with probability `power`; null when no rate is (the rule cannot fire at this n). */
  minimumDetectableRate: Schema.NullOr(Schema.Number),
  /** Samples needed to flag `rate` with probability `power`. */
  sampleSize: Schema.Struct({
    rate: Schema.Number,
    /** The smallest n that reaches the power (a larger n may dip below it: saw-tooth). */
    smallest: Schema.NullOr(Schema.Number),
    /** The n from which every larger n up to `searchedUpTo` reaches it: the figure to plan with; null when beyond the search. */
    sustained: Schema.NullOr(Schema.Number),
    searchedUpTo: Schema.Number,
    /** The probability of flagging `rate` at the evaluation's own n, to set beside the figures above. */
    atSamples: Schema.optional(Schema.Number)
  }),
  /** Propensities only: samples needed to see at least one event at `rate` with `probability`. */
  seeOne: Schema.NullOr(Schema.Struct({ rate: Schema.Number, probability: Schema.Number, samples: Schema.Number }))
})
export type PowerSummary = typeof PowerSummary.Type

/** Mean bias (measured - true) over replicates with its Student t interval: an interval excluding 0 is not replicate noise. */
export const BiasIntervalJson = Schema.Struct({
  replicates: Schema.Number,
  mean: Schema.Number,
  standardError: Schema.Number,
  confidence: Schema.Number,
  lower: Schema.Number,
  upper: Schema.Number
})
export type BiasIntervalJson = typeof BiasIntervalJson.Type

/** McNemar's counts for binary per-sample scores: only pairs on which the two variants disagree carry information. */
export const DiscordantJson = Schema.Struct({
  /** Pairs where a scored 1 and b scored 0. */
  aOnly: Schema.Number,
  /** Pairs where a scored 0 and b scored 1. */
  bOnly: Schema.Number,
  /** Exact two-sided McNemar p-value. */
  pValue: Schema.Number
})
export type DiscordantJson = typeof DiscordantJson.Type

/** b - a on one organism, paired per (replicate, sample). */
export const PairedEstimateJson = Schema.Struct({
  meanA: Schema.Number,
  meanB: Schema.Number,
  /** mean(b - a) over the pairs. */
  difference: Schema.Number,
  /** Clustered by sample id (a sample recurs in every replicate); null with fewer than two distinct samples. */
  lower: Schema.NullOr(Schema.Number),
  upper: Schema.NullOr(Schema.Number),
  standardError: Schema.Number,
  /** What the standard error would be if the scores were not paired: pairing pays off when this is larger. */
  unpairedStandardError: Schema.Number,
  /** Present when every per-sample score is 0 or 1. */
  discordant: Schema.NullOr(DiscordantJson)
})
export type PairedEstimateJson = typeof PairedEstimateJson.Type

export const ComparisonRow = Schema.Struct({
  organism: Schema.String,
  /** (replicate, sample) pairs scored by both variants. */
  pairs: Schema.Number,
  /** Distinct sample ids among the pairs: the clusters of the interval. */
  samples: Schema.Number,
  /** Scores of one variant with no partner in the other (a cell that errored in one arm). */
  unmatched: Schema.Number,
  /** Null when there is no pair to compare. */
  estimate: Schema.NullOr(PairedEstimateJson)
})
export type ComparisonRow = typeof ComparisonRow.Type

export const ComparisonScore = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  a: Schema.String,
  b: Schema.String,
  confidence: Schema.Number,
  organisms: Schema.Array(ComparisonRow)
})
export type ComparisonScore = typeof ComparisonScore.Type
