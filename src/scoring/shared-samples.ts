/**
 * Correlated corroboration: two conditions of a trigger whose evaluations ask the same
 * samples (a paired variant draws the same random numbers too) err together, so "at least 2
 * of them" is not two independent pieces of evidence.
 */
import type { ResolvedEvaluation } from "../domain/evaluation.js"
import type { Trigger } from "../domain/policy.js"
import type { SharedSamples } from "../domain/summary.js"

const sampleKeys = (e: ResolvedEvaluation): ReadonlySet<string> => new Set(e.dataset.samples.map((s) => `${s.id}\u0000${s.input}`))

/** Every pair of the trigger's conditions whose evaluations share samples (same id and input), in condition order. */
export const sharedSamples = (trigger: Trigger, evaluations: ReadonlyArray<ResolvedEvaluation>): ReadonlyArray<SharedSamples> => {
  const byId = new Map(evaluations.map((e) => [e.id, e]))
  const ids = [...new Set(trigger.conditions.map((c) => c.evaluation))]
  return ids.flatMap((a, i) =>
    ids.slice(i + 1).flatMap((b) => {
      const ea = byId.get(a)
      const eb = byId.get(b)
      if (ea === undefined || eb === undefined) return []
      const keys = sampleKeys(ea)
      const samples = eb.dataset.samples.filter((s) => keys.has(`${s.id}\u0000${s.input}`)).length
      return samples === 0 ? [] : [{ a, b, samples, paired: ea.randomness === b || eb.randomness === a }]
    })
  )
}
