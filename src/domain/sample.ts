import { Schema } from "effect"
import { RecordKey } from "./ids.js"

/**
 * One check a response must pass, with promptfoo's meaning: `contains` a substring,
 * `icontains` one in any case, `equals` the whole trimmed response, `regex` a JavaScript
 * pattern (no flags) found in it; `not-` negates.
 */
export const Assertion = Schema.Struct({
  type: Schema.Literal("contains", "icontains", "equals", "regex", "not-contains", "not-icontains", "not-equals", "not-regex"),
  value: Schema.String
})
export type Assertion = typeof Assertion.Type

/**
 * One item of an evaluation's dataset. Capability items carry a `target` (a choice
 * letter when `choices` is given, else the expected text, which simulated organisms give
 * when they answer right); propensity items carry the answer that shows the behaviour and
 * the one that does not.
 */
export const Sample = Schema.Struct({
  id: Schema.NonEmptyString,
  input: Schema.String,
  choices: Schema.optional(Schema.Array(Schema.String).pipe(Schema.maxItems(26))),
  target: Schema.optional(Schema.String),
  /** Other answers that count as the target too (an OpenAI Evals `ideal` list, TruthfulQA's correct answers). */
  alternatives: Schema.optional(Schema.Array(Schema.String)),
  /** Checks the response must all pass, for the `assertions` grader; `target` must pass them too (it is the right answer). */
  assertions: Schema.optional(Schema.Array(Assertion).pipe(Schema.minItems(1))),
  matchingBehavior: Schema.optional(Schema.String),
  notMatchingBehavior: Schema.optional(Schema.String),
  metadata: Schema.optional(Schema.Record({ key: RecordKey, value: Schema.String }))
})
export type Sample = typeof Sample.Type

/** Letters used to label multiple-choice options, in order. */
export const choiceLetter = (index: number): string => String.fromCharCode(65 + index)

/** The option letter a multiple-choice target names: "B", " (B) " and "b" all give "B". */
export const targetLetter = (target: string): string => target.trim().replace(/^\((.)\)$/, "$1").toUpperCase()

/** Ids that occur more than once: every sample needs its own id (it keys draws and stored responses). */
export const duplicateSampleIds = (samples: ReadonlyArray<{ readonly id: string }>): ReadonlyArray<string> => {
  const seen = new Set<string>()
  const repeated = new Set<string>()
  for (const { id } of samples) (seen.has(id) ? repeated : seen).add(id)
  return [...repeated]
}
