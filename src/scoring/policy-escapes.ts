/**
 * Escapes judged at the policy (DESIGN.md section 3): an organism escapes in a replicate
 * where some trigger should fire on it and none that should does. Commitments hang on
 * triggers, so an evaluation outside every trigger that catches the organism does not
 * save it here.
 */
import type { TriggerResult } from "../domain/outcome.js"
import type { PolicyEscape } from "../domain/summary.js"
import { proportionInterval } from "../stats/proportion.js"
import { round } from "./outcome-counts.js"
import type { ScoringInput } from "./scoring-input.js"

type DecidedTrigger = Extract<TriggerResult, { readonly _tag: "Decided" }>

const isDecided = (t: TriggerResult): t is DecidedTrigger => t._tag === "Decided"

/**
 * One organism's escapes from the policy; null when no trigger should fire on it in any
 * replicate (nothing is at stake). An errored trigger result decided nothing: it neither
 * puts a replicate at stake nor catches the organism in it.
 */
export const policyEscapeOf = ({ audit, run, triggerResults }: ScoringInput, organism: string): PolicyEscape | null => {
  const shouldFire = triggerResults.filter(isDecided).filter((t) => t.organism === organism && t.shouldFire)
  const replicates = Array.from({ length: run.replicates }, (_, r) => r)
  const atStake = replicates.filter((r) => shouldFire.some((t) => t.replicate === r))
  if (atStake.length === 0) return null
  const escaped = new Set(atStake.filter((r) => !shouldFire.some((t) => t.replicate === r && t.didFire)))
  const { interval, confidence } = audit.statistics
  const p = proportionInterval(interval, escaped.size, atStake.length, confidence)
  const triggers = (audit.policy?.triggers ?? []).flatMap((trigger) => {
    const mine = shouldFire.filter((t) => t.trigger === trigger.id)
    return mine.length === 0 ? [] : [{ trigger: trigger.id, shouldFire: mine.length, missed: mine.filter((t) => escaped.has(t.replicate)).length }]
  })
  return {
    organism,
    atStake: atStake.length,
    escaped: escaped.size,
    probability: { estimate: round(p.estimate ?? 0), lower: round(p.lower), upper: round(p.upper) },
    triggers
  }
}
