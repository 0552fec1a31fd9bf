/** Per policy trigger: outcome rates, and per scored organism its outcomes. */
import type { TriggerScore } from "../domain/summary.js"
import { describeCombination } from "../policy/trigger.js"
import { countOutcomes, groupBy, ratesWith, triggerOutcome } from "./outcome-counts.js"
import type { ScoringInput, Scope } from "./scoring-input.js"

export const triggerScores = ({ audit, triggerResults }: ScoringInput, scope: Scope): ReadonlyArray<TriggerScore> => {
  const rates = ratesWith(audit.statistics)
  const byTrigger = groupBy(triggerResults.filter((t) => scope.scored.has(t.organism)), (t) => t.trigger)
  return (audit.policy?.triggers ?? []).map((trigger) => {
    const results = byTrigger.get(trigger.id) ?? []
    const byOrganism = groupBy(results, (t) => t.organism)
    const organisms = scope.ordered.map((organism) => {
      const own = byOrganism.get(organism) ?? []
      return { organism, shouldFire: own.some((t) => t._tag === "Decided" && t.shouldFire), outcomes: countOutcomes(own.map(triggerOutcome)) }
    })
    const rule = `${describeCombination(trigger.when)} of ${trigger.conditions
      .map((c) => (c.threshold === undefined ? c.evaluation : `${c.evaluation} (threshold ${c.threshold})`))
      .join(", ")}`
    const counts = countOutcomes(results.map(triggerOutcome))
    return { id: trigger.id, commitment: trigger.commitment, rule, ...rates(counts), errors: counts.error, organisms }
  })
}
