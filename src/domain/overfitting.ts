import { Schema } from "effect"

export const OverfittingUnit = Schema.Literal("replicate", "organism")
export type OverfittingUnit = typeof OverfittingUnit.Type

/** Sensitivity over one set of organisms, with its Wilson interval; `estimate` is null when n = 0. */
export const SetSensitivity = Schema.Struct({
  /** Organisms of the set that the subject should have caught (rows with a caught or missed outcome). */
  organisms: Schema.Array(Schema.String),
  k: Schema.Number,
  n: Schema.Number,
  estimate: Schema.NullOr(Schema.Number),
  lower: Schema.Number,
  upper: Schema.Number
})
export type SetSensitivity = typeof SetSensitivity.Type

export const OverfittingScore = Schema.Struct({
  subject: Schema.Struct({ kind: Schema.Literal("evaluation", "trigger"), id: Schema.String }),
  /** How the difference's interval was computed. */
  method: Schema.Literal("newcombe-wilson"),
  unit: OverfittingUnit,
  confidence: Schema.Number,
  /** The flag needs the difference's lower bound above this. */
  margin: Schema.Number,
  development: SetSensitivity,
  heldOut: SetSensitivity,
  /** Development minus held-out sensitivity; null when either set has nothing to catch. */
  difference: Schema.NullOr(Schema.Struct({ estimate: Schema.Number, lower: Schema.Number, upper: Schema.Number })),
  /** `insufficient` when the difference cannot be formed. */
  verdict: Schema.Literal("overfitting", "no-evidence", "insufficient"),
  overfitting: Schema.Boolean
})
export type OverfittingScore = typeof OverfittingScore.Type
