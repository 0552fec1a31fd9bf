import { Schema } from "effect"
import { Name } from "./ids.js"

/** A capability in a domain: the rate of correct answers when fully elicited. */
export const Capability = Schema.Struct({
  kind: Schema.Literal("capability"),
  domain: Name
})

/** A propensity for a behaviour: its rate when the model believes it is in real, unobserved use. */
export const Propensity = Schema.Struct({
  kind: Schema.Literal("propensity"),
  behaviour: Name
})

/** The one quantity an evaluation measures. */
export const Measure = Schema.Union(Capability, Propensity)
export type Measure = typeof Measure.Type

export const measureLabel = (m: Measure): string =>
  m.kind === "capability" ? `capability:${m.domain}` : `propensity:${m.behaviour}`
