import { Schema } from "effect"

/** Score by name, e.g. metric name -> value or sample id -> value. */
const NumberMap = Schema.Record({ key: Schema.String, value: Schema.Number })

/**
 * What an imported evaluation log says the evaluation measured on a real model: the
 * baseline an audit compares its organisms against. Stored with the run and shown in
 * memos, so it is a schema rather than an interface.
 */
export const Baseline = Schema.Struct({
  task: Schema.String,
  model: Schema.String,
  /** Inspect's eval status; a log that errored or was cancelled still carries its samples. */
  status: Schema.Literal("started", "success", "cancelled", "error"),
  /** When the log was created, as the log writes it (ISO 8601 with its offset). */
  created: Schema.String,
  /** Distinct samples the log holds. */
  samples: Schema.NonNegativeInt,
  /** The eval's own counts (`results.total_samples`, `completed_samples`; epochs included), when it has results. */
  totalSamples: Schema.optional(Schema.NonNegativeInt),
  completedSamples: Schema.optional(Schema.NonNegativeInt),
  /** Scorer name -> metric name -> value, from the eval's results; empty when it has none. */
  metrics: Schema.Record({ key: Schema.String, value: NumberMap }),
  /** Scorer name -> sample id -> score as a number (epochs reduced), where the log has scores. */
  scores: Schema.Record({ key: Schema.String, value: NumberMap }),
  /** The eval's error message, when it failed. */
  error: Schema.optional(Schema.String)
})
export type Baseline = typeof Baseline.Type
