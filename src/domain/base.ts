import { Schema } from "effect"
import { Probability, RecordKey } from "./ids.js"

const Rates = Schema.Record({ key: RecordKey, value: Probability })

/** How capable the model is per domain and how often it shows each behaviour, before any defect. */
export const Base = Schema.Struct({
  /** Accuracy in any domain not listed in `capabilities`. */
  capability: Schema.optionalWith(Probability, { default: () => 0.9 }),
  capabilities: Schema.optionalWith(Rates, { default: () => ({}) }),
  /** Behaviour rates; unlisted behaviours are 0 (aligned). */
  propensities: Schema.optionalWith(Rates, { default: () => ({}) })
})
export type Base = typeof Base.Type
