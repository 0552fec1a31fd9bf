import { Schema } from "effect"
import { Id } from "./ids.js"

/** The range of scores the judge is asked for. */
export const JudgeScale = Schema.Struct({ min: Schema.Finite, max: Schema.Finite }).pipe(
  Schema.filter((s) => s.min < s.max || { path: ["max"], message: "max above min" })
)
export type JudgeScale = typeof JudgeScale.Type

/**
 * A model-graded grader: the model behind `provider` scores each response against
 * `rubric` on `scale`. With `passAt`, a score at or above it earns 1 and anything else 0;
 * without it the score is normalised to [0, 1].
 */
export const JudgeGraderSpec = Schema.Struct({
  type: Schema.Literal("judge"),
  /** Id of a provider declared in the audit. */
  provider: Id,
  rubric: Schema.NonEmptyString,
  scale: Schema.optionalWith(JudgeScale, { default: () => ({ min: 0, max: 10 }) }),
  passAt: Schema.optional(Schema.Finite)
}).pipe(
  Schema.filter(
    (j) =>
      j.passAt === undefined ||
      (j.passAt >= j.scale.min && j.passAt <= j.scale.max) || { path: ["passAt"], message: `a score between ${j.scale.min} and ${j.scale.max}` }
  )
)
export type JudgeGraderSpec = typeof JudgeGraderSpec.Type
export type JudgeGraderInput = typeof JudgeGraderSpec.Encoded
