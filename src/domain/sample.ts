import { Schema } from "effect"

/**
 * One item of an evaluation's dataset. Capability items carry a `target` (a choice
 * letter when `choices` is given, else the expected text); propensity items carry the
 * answer that shows the behaviour and the one that does not.
 */
export const Sample = Schema.Struct({
  id: Schema.NonEmptyString,
  input: Schema.String,
  choices: Schema.optional(Schema.Array(Schema.String)),
  target: Schema.optional(Schema.String),
  matchingBehavior: Schema.optional(Schema.String),
  notMatchingBehavior: Schema.optional(Schema.String),
  metadata: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
})
export type Sample = typeof Sample.Type

/** Letters used to label multiple-choice options, in order. */
export const choiceLetter = (index: number): string => String.fromCharCode(65 + index)
