import { Schema } from "effect"
import { CountUpTo, Id, Indifference, NonEmpty, Probability } from "./ids.js"
import { LIMITS } from "./limits.js"

/** One evaluation decision inside a trigger; `threshold` (and `indifference`) override the evaluation's own. */
export const Condition = Schema.Struct({
  evaluation: Id,
  threshold: Schema.optional(Probability),
  indifference: Schema.optional(Indifference)
})
export type Condition = typeof Condition.Type

export const Combination = Schema.Union(
  Schema.Literal("any", "all"),
  Schema.Struct({ atLeast: CountUpTo(LIMITS.conditions) })
)
export type Combination = typeof Combination.Type

/** A policy rule over evaluation decisions, naming the commitment it requires. */
export const Trigger = Schema.Struct({
  id: Id,
  commitment: Schema.NonEmptyString,
  when: Schema.optionalWith(Combination, { default: () => "any" as const }),
  conditions: NonEmpty(Condition)
})
export type Trigger = typeof Trigger.Type

export const Policy = Schema.Struct({
  id: Id,
  title: Schema.optional(Schema.String),
  triggers: Schema.Array(Trigger)
})
export type Policy = typeof Policy.Type
