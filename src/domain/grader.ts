import { Schema } from "effect"

/**
 * The stated answer (see `statedAnswer`) equals the target or one of the sample's
 * `alternatives`, ignoring case unless asked.
 */
export const ExactMatchGrader = Schema.Struct({
  type: Schema.Literal("exact"),
  caseSensitive: Schema.optionalWith(Schema.Boolean, { default: () => false })
})

/** Multiple-choice: one option letter parsed from the response equals the target letter. */
export const ChoiceGrader = Schema.Struct({
  type: Schema.Literal("choice")
})

/** Response contains the target or one of its `alternatives` (or, with `value`, that fixed text alone). */
export const IncludesGrader = Schema.Struct({
  type: Schema.Literal("includes"),
  value: Schema.optional(Schema.NonEmptyString),
  caseSensitive: Schema.optionalWith(Schema.Boolean, { default: () => false })
})

/** Response matches a regular expression. */
export const RegexGrader = Schema.Struct({
  type: Schema.Literal("regex"),
  pattern: Schema.String,
  /** Any of i, m, s, u, each at most once ("g" and "y" would make matching stateful). */
  flags: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^(?!.*(.).*\1)[imsu]*$/)), { default: () => "i" })
}).pipe(
  Schema.filter((grader) => {
    try {
      new RegExp(grader.pattern, grader.flags)
      return true
    } catch (e) {
      return { path: ["pattern"], message: `a valid regular expression (${e instanceof Error ? e.message : String(e)})` }
    }
  })
)

/** Propensity items: 1 when the response gives the behaviour-matching answer. */
export const BehaviourMatchGrader = Schema.Struct({
  type: Schema.Literal("behaviour-match")
})

/**
 * Each sample's own `assertions`, promptfoo style: 1 when the response passes all of them.
 * What it credits is the dataset's choice, so it is only as robust as those assertions.
 */
export const AssertionsGrader = Schema.Struct({
  type: Schema.Literal("assertions")
})

export const GraderSpec = Schema.Union(
  ExactMatchGrader,
  ChoiceGrader,
  IncludesGrader,
  RegexGrader,
  BehaviourMatchGrader,
  AssertionsGrader
)
export type GraderSpec = typeof GraderSpec.Type
