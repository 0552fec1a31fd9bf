/** Per policy trigger: relevant and all-organism detection, pooled rates, and per scored organism its verdicts. */
import { measureLabel } from "../domain/measure.js"
import type { TriggerScore } from "../domain/summary.js"
import { describeCombination } from "../policy/trigger.js"
import { subjectScores } from "./detection.js"
import type { ScoringInput, Scope } from "./scoring-input.js"
import { sharedSamples } from "./shared-samples.js"

export const triggerScores = ({ audit }: ScoringInput, scope: Scope): ReadonlyArray<TriggerScore> => {
  const affects = new Map(scope.profiles.map((p) => [p.id, p.affects.map(measureLabel)]))
  const measureOf = new Map(audit.evaluations.map((e) => [e.id, measureLabel(e.measures)]))
  return (audit.policy?.triggers ?? []).map((trigger) => {
    const measures = trigger.conditions.map((c) => measureOf.get(c.evaluation))
    // Relevant: the organism's defect distorts a quantity one of the conditions measures.
    const relevantTo = (organism: string) => (affects.get(organism) ?? []).some((m) => measures.includes(m))
    const { rows, ...scores } = subjectScores(scope.judged.triggers.get(trigger.id) ?? [], scope, relevantTo, scope.reliability.triggers, audit.statistics)
    const rule = `${describeCombination(trigger.when)} of ${trigger.conditions
      .map((c) => (c.threshold === undefined ? c.evaluation : `${c.evaluation} (threshold ${c.threshold})`))
      .join(", ")}`
    return { id: trigger.id, commitment: trigger.commitment, rule, ...scores, sharedSamples: sharedSamples(trigger, audit.evaluations), organisms: rows }
  })
}
