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
  value: Schema.optional(Schema.String),
  caseSensitive: Schema.optionalWith(Schema.Boolean, { default: () => false })
})

/** Response matches a regular expression. */
export const RegexGrader = Schema.Struct({
  type: Schema.Literal("regex"),
  pattern: Schema.String.pipe(
    Schema.filter((pattern) => {
      try {
        new RegExp(pattern)
        return true
      } catch (e) {
        return `a valid regular expression (${e instanceof Error ? e.message : String(e)})`
      }
    })
  ),
  flags: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^[imsu]*$/)), { default: () => "i" })
})

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
