import { Schema } from "effect"

/** A proportion with its Wilson 95% interval; `estimate` is null when n = 0. */
export const ProportionJson = Schema.Struct({
  k: Schema.Number,
  n: Schema.Number,
  estimate: Schema.NullOr(Schema.Number),
  lower: Schema.Number,
  upper: Schema.Number
})
