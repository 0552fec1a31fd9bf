import { Effect, Option } from "effect"
import type { ResolvedAudit } from "../../domain/audit.js"
import type { CellResult, TriggerResult } from "../../domain/outcome.js"
import type { ManipulationCheck } from "../../domain/run.js"
import { decideTriggers } from "../../policy/trigger.js"
import { runSearch } from "../../search/run-search.js"
import { searchScore } from "../../search/search-score.js"
import { AuditStore, type StoredRun } from "../../store/audit-store.js"
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
 * The audit's adversarial search, run once per run and stored. It measures organisms
 * in-process, so it belongs here and not in phase 5: summaries (`report`, `check`, `diff`)
 * only read it. A run that already stored it (a resumed run) does not search again; the
 * search is seeded, so it would find the same.
 */
export const deriveSearch = (audit: ResolvedAudit, run: StoredRun) =>
  Effect.gen(function* () {
    const settings = audit.search
    if (settings === undefined) return
    const store = yield* AuditStore
    if (Option.isSome(yield* store.loadSearch(run.id))) return
    const score = yield* Effect.sync(() => searchScore(runSearch(audit, settings, { seed: run.seed }), settings.scope))
    yield* store.saveSearch(run.id, score)
  })

/**
 * Phase 4: what is derived from the stored cells and the spec, stored in turn: every
 * trigger's decision and the adversarial search. True when the run is complete (every
 * planned cell measured and every check ran); the run is marked finished only once its
 * outputs are written (see `runAudit`).
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
    yield* deriveSearch(audit, run)
    return progress.checksUndone === 0 && cells.length === progress.cellsPlanned && cells.every((c) => c._tag === "Measured")
  })
