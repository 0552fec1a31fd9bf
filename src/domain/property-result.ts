import { Schema } from "effect"

/** The outcome of one property on one grader: fast-check's run details, kept as plain data. */
export const PropertyResult = Schema.Union(
  Schema.TaggedStruct("Passed", { property: Schema.String, runs: Schema.Number, seed: Schema.Number }),
  Schema.TaggedStruct("Failed", {
    property: Schema.String,
    seed: Schema.Number,
    /** fast-check's replay path: with the seed, reproduces the shrunk counterexample. */
    path: Schema.String,
    shrinks: Schema.Number,
    /** The shrunk counterexample as fast-check prints it, cut to 400 characters. */
    counterexample: Schema.String,
    /** What the grader threw, if it threw. */
    error: Schema.NullOr(Schema.String)
  }),
  /** The time limit stopped the property before its runs were done: not evidence of a pass. */
  Schema.TaggedStruct("Interrupted", { property: Schema.String, runs: Schema.Number, seed: Schema.Number }),
  Schema.TaggedStruct("NotApplicable", { property: Schema.String, reason: Schema.String })
)
export type PropertyResult = typeof PropertyResult.Type
