import { Effect } from "effect"
import type { ResolvedAudit } from "../../domain/audit.js"
import type { ResolvedEvaluation } from "../../domain/evaluation.js"
import type { OrganismSpec } from "../../domain/organism.js"
import type { ManipulationCheck } from "../../domain/run.js"
import { checkpointOrganisms } from "../../domain/series.js"
import { graderOf } from "../../measure/grader.js"
import { measureCell, type PreparedEvaluation, prepareEvaluation } from "../../measure/measure-cell.js"
import type { Providers } from "../../measure/providers.js"
import { promptedRespondent, simulatedRespondent, type Respondent } from "../../measure/respondent.js"
import { batches, planCells } from "../../measure/plan.js"
import { simulate } from "../../organisms/organism.js"
import { AuditStore, cellKey, type StoredRun } from "../../store/audit-store.js"
import { letSignalsIn } from "../let-signals-in.js"
import { Progress } from "../progress.js"

/** Responses per store transaction: large enough to amortise, small enough to lose little on a crash. */
const BATCH_SAMPLES = 4096

/** What phase 3 hands on: how many cells the run has, and how many this invocation measured. */
export interface MeasuredRun {
  readonly cellsPlanned: number
  readonly cellsRun: number
  readonly cellsSkipped: number
}

/**
 * The organisms whose cells are measured: those that passed their manipulation check, and
 * every sweep organism (a sweep maps detection against the defect's size, small sizes
 * included, so its points are not checked one by one). With "all", every organism the run
 * may measure, checked or not (what shards split).
 */
export const measuredOrganisms = (audit: ResolvedAudit, checks: ReadonlyArray<ManipulationCheck> | "all"): Array<Respondent<Providers>> => {
  const passed = checks === "all" ? undefined : new Set(checks.filter((c) => c.passed).map((c) => c.organism))
  const checked = (o: { readonly id: string }) => passed === undefined || passed.has(o.id)
  const simulated = (spec: OrganismSpec): Respondent<Providers> => simulatedRespondent(simulate(spec))
  return [
    ...[...audit.organisms, ...(audit.heldOut?.organisms ?? [])].filter(checked).map(simulated),
    ...audit.sweeps.flatMap((s) => s.organisms).map(simulated),
    ...audit.series.flatMap(checkpointOrganisms).map(simulated),
    ...audit.promptedOrganisms.filter(checked).map(promptedRespondent)
  ]
}

/**
 * Samples of a provider-backed cell (a prompted organism, or a judge grader) asked at once:
 * as many as the audit's most concurrent provider admits; each provider's own limit still
 * holds. In-process cells ask one at a time, as a plain loop.
 */
const samplesInFlight = (audit: ResolvedAudit) => {
  const most = Math.max(1, ...Object.values(audit.providers).map((p) => p.concurrency))
  const prompted = new Set(audit.promptedOrganisms.map((o) => o.id))
  return (evaluation: PreparedEvaluation, organism: { readonly id: string }) =>
    evaluation.grading._tag === "Judge" || prompted.has(organism.id) ? most : 1
}

/**
 * Phase 3: every cell not yet stored, in batches written one transaction each. Finished
 * cells are never rerun, and since every draw comes from the seeded hash a resumed run
 * equals an uninterrupted one.
 */
export const measureRun = (
  audit: ResolvedAudit,
  run: StoredRun,
  checks: ReadonlyArray<ManipulationCheck>,
  options: {
    readonly concurrency: number
    readonly batchSamples?: number | undefined
    /** Only the cells of one shard (see ../shard-cells.ts); every cell when absent. */
    readonly include?: ((evaluation: string, organism: string, replicate: number) => boolean) | undefined
  }
) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const progress = yield* Progress
    const finished = yield* store.finishedCells(run.id)
    const include = options.include
    const plan = planCells(
      audit.evaluations.map(prepareEvaluation),
      measuredOrganisms(audit, checks),
      run.replicates,
      (e, o, r) => finished.has(cellKey(e.evaluation.id, o.id, r)),
      include === undefined ? undefined : (e, o, r) => include(e.evaluation.id, o.id, r)
    )
    const inFlight = samplesInFlight(audit)
    const samplesOf = (e: ResolvedEvaluation) => e.dataset.samples.length * e.protocol.epochs

    yield* progress.start(plan.pending.length + plan.done, plan.done)
    for (const batch of batches(plan.pending, (c) => samplesOf(c.evaluation.evaluation), options.batchSamples ?? BATCH_SAMPLES)) {
      // A stop asked for (SIGINT, SIGTERM) lands here: the batches saved stay, the run stays incomplete.
      yield* letSignalsIn
      const measured = yield* Effect.forEach(
        batch,
        ({ evaluation, organism, replicate }) => measureCell(evaluation, organism, graderOf(evaluation.grading), run.seed, replicate, inFlight(evaluation, organism)),
        { concurrency: options.concurrency }
      )
      yield* store.saveCells(run.id, measured)
      yield* progress.advance(measured.length, measured.reduce((s, m) => s + m.samples.length, 0))
    }
    yield* progress.finish()
    return { cellsPlanned: plan.pending.length + plan.done, cellsRun: plan.pending.length, cellsSkipped: plan.done } satisfies MeasuredRun
  })
