import { Schema } from "effect"
import { Id, NonEmpty } from "./ids.js"
import { OrganismSpec } from "./organism.js"
import { LIMITS } from "./limits.js"

/**
 * A sweep as a file writes it: one catalog archetype whose numeric `parameter` takes each
 * of `values` (a defection rate, a sandbagging strength, an evaluation-awareness rate).
 * The memo reports each evaluation's and trigger's detection curve over the values and
 * the smallest value it catches with 95% probability.
 */
export const SweepInput = Schema.Struct({
  id: Id,
  title: Schema.optional(Schema.String),
  /** A catalog archetype entry (`archetype:` and its other parameters), without an id. */
  organism: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  parameter: Schema.NonEmptyString,
  values: NonEmpty(Schema.Number).pipe(Schema.maxItems(LIMITS.sweepValues))
})

/** A sweep with one organism per value (ids `<sweep>.<index>`), as audits are decoded and stored. */
export const Sweep = Schema.Struct({
  id: Id,
  title: Schema.optional(Schema.String),
  parameter: Schema.NonEmptyString,
  values: NonEmpty(Schema.Number).pipe(Schema.maxItems(LIMITS.sweepValues)),
  organisms: NonEmpty(OrganismSpec)
})
export type Sweep = typeof Sweep.Type

export const sweepOrganismId = (sweep: string, index: number): string => `${sweep}.${index}`
