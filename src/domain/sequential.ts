import { Schema } from "effect"

const Rate = Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThan(1))
const ErrorRate = Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThan(0.5))

/**
 * Wald's SPRT between "the rate is p0" (do not fire) and "the rate is p1" (fire). Without
 * p0 and p1 the indifference region is the threshold +- min(0.05, t / 2, (1 - t) / 2).
 * alpha = P(fire | p0), beta = P(no fire | p1).
 */
export const SprtSampling = Schema.Struct({
  method: Schema.Literal("sprt"),
  p0: Schema.optional(Rate),
  p1: Schema.optional(Rate),
  alpha: Schema.optionalWith(ErrorRate, { default: () => 0.05 }),
  beta: Schema.optionalWith(ErrorRate, { default: () => 0.05 })
}).pipe(Schema.filter((s) => s.p0 === undefined || s.p1 === undefined || s.p0 < s.p1 || { path: ["p1"], message: "p1 must exceed p0" }))

/**
 * Stops when a confidence bound, looked at after every sample with the error spent as
 * 6 alpha / (pi^2 n^2), settles which side of the threshold the rate is on.
 */
export const BoundSampling = Schema.Struct({
  method: Schema.Literal("confidence-bound"),
  alpha: Schema.optionalWith(ErrorRate, { default: () => 0.05 })
})

/** Sample a cell only until its decision is settled (samples in a seeded order per cell). */
export const SequentialSampling = Schema.Union(SprtSampling, BoundSampling)
export type SequentialSampling = typeof SequentialSampling.Type

/** The SPRT's rates for a threshold when the design does not give them. */
export const sprtRates = (s: Extract<SequentialSampling, { method: "sprt" }>, threshold: number): { p0: number; p1: number } => {
  const delta = Math.min(0.05, threshold / 2, (1 - threshold) / 2)
  return { p0: s.p0 ?? threshold - delta, p1: s.p1 ?? threshold + delta }
}
