import type { ResolvedAudit } from "../domain/audit.js"

/** What a score run leaves out of the audit, with why, for the terminal. */
export interface Narrowed {
  readonly spec: ResolvedAudit
  readonly notes: ReadonlyArray<string>
}

/**
 * The audit as a score run stores it: the evaluations and organisms the logs hold, the
 * triggers whose every evaluation is among them, and nothing that `run` measures in-process
 * (sweeps, series, the search, held-out and prompted organisms) or that the harness replaces
 * (the grader battery: the harness graded, and the scorer audit checks it instead).
 */
export const scoringSpec = (audit: ResolvedAudit, evaluations: ReadonlySet<string>, organisms: ReadonlySet<string>, replicates: number): Narrowed => {
  const { heldOut: _heldOut, search: _search, ...rest } = audit
  const triggers = audit.policy?.triggers ?? []
  const kept = triggers.filter((t) => t.conditions.every((c) => evaluations.has(c.evaluation)))
  const notes = [
    ...triggers.filter((t) => !kept.includes(t)).map((t) => `trigger ${t.id} not scored: ${t.conditions.filter((c) => !evaluations.has(c.evaluation)).map((c) => c.evaluation).join(", ")} in no log`),
    ...audit.evaluations.filter((e) => !evaluations.has(e.id)).map((e) => `evaluation ${e.id} not scored: in no log`),
    ...audit.organisms.filter((o) => !organisms.has(o.id)).map((o) => `organism ${o.id} not scored: in no log`)
  ]
  return {
    spec: {
      ...rest,
      replicates,
      evaluations: audit.evaluations.filter((e) => evaluations.has(e.id)),
      organisms: audit.organisms.filter((o) => organisms.has(o.id)),
      ...(audit.policy === undefined ? {} : { policy: { ...audit.policy, triggers: kept } }),
      sweeps: [],
      series: [],
      promptedOrganisms: [],
      comparisons: audit.comparisons.filter((c) => evaluations.has(c.a) && evaluations.has(c.b)),
      graderBattery: { numRuns: 0 }
    },
    notes
  }
}
