import { Schema } from "effect"

/** Whole response equals the target after trimming. */
export const ExactMatchGrader = Schema.Struct({
  type: Schema.Literal("exact"),
  caseSensitive: Schema.optionalWith(Schema.Boolean, { default: () => false })
})

/** Multiple-choice: one option letter parsed from the response equals the target letter. */
export const ChoiceGrader = Schema.Struct({
  type: Schema.Literal("choice")
})

/** Response contains the target (or a fixed `value`). */
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

export const GraderSpec = Schema.Union(
  ExactMatchGrader,
  ChoiceGrader,
  IncludesGrader,
  RegexGrader,
  BehaviourMatchGrader
)
export type GraderSpec = typeof GraderSpec.Type
