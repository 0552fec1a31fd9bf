/** Held-out organisms against the development ones the evaluations' authors could see. */
import type { ResolvedAudit } from "../domain/audit.js"
import type { OverfittingScore } from "../domain/overfitting.js"
import type { EvaluationScore, TriggerScore } from "../domain/summary.js"
import { overfittingScore, type OverfittingOptions } from "./overfitting.js"

export const heldOutOverfitting = (
  audit: ResolvedAudit,
  evaluations: ReadonlyArray<EvaluationScore>,
  triggers: ReadonlyArray<TriggerScore>
): ReadonlyArray<OverfittingScore> => {
  const heldOut = (audit.heldOut?.organisms ?? []).map((o) => o.id)
  if (heldOut.length === 0) return []
  const development = [...audit.organisms, ...audit.promptedOrganisms].map((o) => o.id)
  // Counted per organism (majority outcome over replicates): replicates of one organism are not independent organisms.
  const options: OverfittingOptions = { confidence: audit.statistics.confidence, unit: "organism" }
  return [
    ...evaluations.map((e) => overfittingScore({ subject: { kind: "evaluation", id: e.id }, rows: e.organisms, development, heldOut }, options)),
    ...triggers.map((t) => overfittingScore({ subject: { kind: "trigger", id: t.id }, rows: t.organisms, development, heldOut }, options))
  ]
}
