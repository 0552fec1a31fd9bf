import { Schema } from "effect"
import { DecisionRule } from "./decision.js"
import { GraderSpec } from "./grader.js"
import { Dataset, ResolvedDataset } from "./dataset.js"
import { CountUpTo, Id, Indifference, Name } from "./ids.js"
import { Measure } from "./measure.js"
import { SequentialSampling } from "./sequential.js"
import { LIMITS } from "./limits.js"

/** How a sample becomes the messages a model sees. */
export const Protocol = Schema.Struct({
  systemPrompt: Schema.optional(Schema.String),
  /** `{input}` is replaced by the sample's input. */
  template: Schema.optionalWith(Schema.String, { default: () => "{input}" }),
  /** Worked examples shown before the question (elicitation strength). */
  demonstrations: Schema.optionalWith(CountUpTo(LIMITS.demonstrations, 0), { default: () => 0 }),
  /** Times each sample is asked. */
  epochs: Schema.optionalWith(CountUpTo(LIMITS.epochs), { default: () => 1 })
})
export type Protocol = typeof Protocol.Type

export const Evaluation = Schema.Struct({
  id: Id,
  title: Schema.optional(Schema.String),
  measures: Measure,
  dataset: Dataset,
  protocol: Schema.optionalWith(Protocol, {
    default: () => ({ template: "{input}", demonstrations: 0, epochs: 1 })
  }),
  grader: GraderSpec,
  /** Scores -> one number: the mean score, i.e. accuracy or behaviour rate. */
  metric: Schema.optionalWith(Schema.Literal("mean"), { default: () => "mean" as const }),
  decision: DecisionRule,
  /**
   * Metadata field naming groups of samples that are not independent (one passage, one
   * template): cells then report a clustered standard error (Miller 2024) beside the naive one.
   */
  clusterBy: Schema.optional(Name),
  /** Sample each cell only until its decision is settled (Wald's SPRT or a confidence bound). */
  sequential: Schema.optional(SequentialSampling),
  /**
   * Half-width of the indifference zone around the threshold (p0/p1 of sequential testing):
   * an organism whose truth lies strictly inside it is borderline, never caught, missed or a
   * false alarm. Default: the audit's, else min(0.05, t / 4, (1 - t) / 4).
   */
  indifference: Schema.optional(Indifference)
})
export type Evaluation = typeof Evaluation.Type
export type EvaluationInput = typeof Evaluation.Encoded

/** An evaluation whose dataset has been read: what the runner works on and the store keeps. */
export const ResolvedEvaluation = Schema.Struct({
  ...Evaluation.fields,
  dataset: ResolvedDataset,
  /**
   * The evaluation whose random draws this one shares: the second arm of a paired comparison
   * draws what the first does on each sample (common random numbers), so their difference
   * measures the variant, not the noise.
   */
  randomness: Schema.optional(Schema.String)
})
export type ResolvedEvaluation = typeof ResolvedEvaluation.Type
