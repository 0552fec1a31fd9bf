import { Effect } from "effect"
import type { ProviderError } from "../domain/chat.js"

/**
 * What a respondent or a grader gives back: the value itself when it is computed in-process
 * (a simulated organism, a built-in grader), or an Effect when it calls a provider. Plain
 * values never enter Effect, so a simulated cell runs as a plain loop: an Effect per sample
 * would be the price of a feature the simulated path does not use. `A` is never itself an
 * Effect (it is a response text or a grade).
 */
export type Step<A, R> = A | Effect.Effect<A, ProviderError, R>

export const isEffectStep = <A, R>(step: Step<A, R>): step is Effect.Effect<A, ProviderError, R> =>
  typeof step === "object" && step !== null && Effect.EffectTypeId in step

export const stepToEffect = <A, R>(step: Step<A, R>): Effect.Effect<A, ProviderError, R> => (isEffectStep(step) ? step : Effect.succeed(step))

/** Continues `step` with `f`, entering Effect only if `step` is one. */
export const andThen = <A, B, R>(step: Step<A, R>, f: (a: A) => Step<B, R>): Step<B, R> =>
  isEffectStep(step) ? Effect.flatMap(step, (a) => stepToEffect(f(a))) : f(step)
