import { Effect } from "effect"
import type { ResolvedAudit } from "../../domain/audit.js"
import type { CellResult, TriggerResult } from "../../domain/outcome.js"
import type { ManipulationCheck } from "../../domain/run.js"
import { decideTriggers } from "../../policy/trigger.js"
import { AuditStore, type StoredRun } from "../../store/audit-store.js"
import { isoNow } from "./1-open-run.js"
import { measuredOrganisms } from "./3-measure.js"

/** Every trigger's decision for every organism that passed its manipulation check. */
export const triggerResults = (
  audit: ResolvedAudit,
  cells: ReadonlyArray<CellResult>,
  checks: ReadonlyArray<ManipulationCheck>,
  replicates: number
): Array<TriggerResult> =>
  decideTriggers(
    audit.policy?.triggers ?? [],
    audit.evaluations,
    cells,
    measuredOrganisms(audit, checks).map((o) => o.id),
    replicates
  )

/**
 * Phase 4: what is derived from the stored cells, stored in turn: every trigger's decision.
 * The run is marked finished when every planned cell measured and every check ran.
 */
export const deriveRun = (
  audit: ResolvedAudit,
  run: StoredRun,
  checks: ReadonlyArray<ManipulationCheck>,
  progress: { readonly cellsPlanned: number; readonly checksUndone: number }
) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const cells = yield* store.loadCells(run.id)
    yield* store.saveTriggerResults(run.id, triggerResults(audit, cells, checks, run.replicates))
    const complete = progress.checksUndone === 0 && cells.length === progress.cellsPlanned && cells.every((c) => c._tag === "Measured")
    if (complete && run.finishedAt === null) yield* store.finishRun(run.id, yield* isoNow)
  })
