import { Schema } from "effect"
import { DecisionRule } from "./decision.js"
import { GraderSpec } from "./grader.js"
import { Count, Id, NonEmpty, PositiveCount } from "./ids.js"
import { Measure } from "./measure.js"
import { duplicateSampleIds, Sample } from "./sample.js"

/** Samples written inline (typed audits, tests). */
export const InlineDataset = Schema.Struct({
  samples: NonEmpty(Sample).pipe(
    Schema.filter((samples) => {
      const repeated = duplicateSampleIds(samples)
      return repeated.length === 0 || `unique sample ids; repeated: ${repeated.slice(0, 5).join(", ")}`
    })
  )
})

/** Samples in a JSONL file, one `Sample` a line; the path is relative to the audit file. */
export const FileDataset = Schema.Struct({
  path: Schema.NonEmptyString,
  format: Schema.optionalWith(Schema.Literal("jsonl"), { default: () => "jsonl" as const })
})

export const Dataset = Schema.Union(InlineDataset, FileDataset)
export type Dataset = typeof Dataset.Type

/** How a sample becomes the messages a model sees. */
export const Protocol = Schema.Struct({
  systemPrompt: Schema.optional(Schema.String),
  /** `{input}` is replaced by the sample's input. */
  template: Schema.optionalWith(Schema.String, { default: () => "{input}" }),
  /** Worked examples shown before the question (elicitation strength). */
  demonstrations: Schema.optionalWith(Count, { default: () => 0 }),
  /** Times each sample is asked. */
  epochs: Schema.optionalWith(PositiveCount, { default: () => 1 })
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
  decision: DecisionRule
})
export type Evaluation = typeof Evaluation.Type
export type EvaluationInput = typeof Evaluation.Encoded

/** A dataset after reading: where it came from and its samples. */
export const ResolvedDataset = Schema.Struct({
  source: Schema.String,
  samples: NonEmpty(Sample)
})

/** An evaluation whose dataset has been read: what the runner works on and the store keeps. */
export const ResolvedEvaluation = Schema.Struct({ ...Evaluation.fields, dataset: ResolvedDataset })
export type ResolvedEvaluation = typeof ResolvedEvaluation.Type
