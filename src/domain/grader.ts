import { Schema } from "effect"
import { JudgeGraderSpec } from "./judge.js"

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

/** Graders that are pure functions of sample and response, run in-process. */
export const BuiltInGraderSpec = Schema.Union(
  ExactMatchGrader,
  ChoiceGrader,
  IncludesGrader,
  RegexGrader,
  BehaviourMatchGrader,
  AssertionsGrader
)
export type BuiltInGraderSpec = typeof BuiltInGraderSpec.Type

/** Every grader: a built-in one, or a rubric judge (a model behind a provider). */
export const GraderSpec = Schema.Union(...BuiltInGraderSpec.members, JudgeGraderSpec)
export type GraderSpec = typeof GraderSpec.Type

export const isBuiltIn = (spec: GraderSpec): spec is BuiltInGraderSpec => spec.type !== "judge"
