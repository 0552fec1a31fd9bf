import { Effect } from "effect"
import type { ResolvedAudit } from "../../domain/audit.js"
import type { ResolvedEvaluation } from "../../domain/evaluation.js"
import type { OrganismSpec } from "../../domain/organism.js"
import type { ManipulationCheck } from "../../domain/run.js"
import { checkpointOrganisms } from "../../domain/series.js"
import { graderOf } from "../../measure/grader.js"
import { measureCell, prepareEvaluation } from "../../measure/measure-cell.js"
import type { Providers } from "../../measure/providers.js"
import { externalRespondent, promptedRespondent, simulatedRespondent, type Respondent } from "../../measure/respondent.js"
import { batches, planCells } from "../../measure/plan.js"
import { simulate } from "../../organisms/organism.js"
import { measuredTruths, realTruth } from "../../organisms/profile.js"
import { AuditStore, cellKey, type StoredRun } from "../../store/audit-store.js"
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
 * included, so its points are not checked one by one).
 */
export const measuredOrganisms = (audit: ResolvedAudit, checks: ReadonlyArray<ManipulationCheck>): Array<Respondent<Providers>> => {
  const passed = new Set(checks.filter((c) => c.passed).map((c) => c.organism))
  const simulated = (spec: OrganismSpec): Respondent<Providers> => simulatedRespondent(simulate(spec))
  // A real model's truth is what its stored calibration measured: cells are scored against it.
  const measured = measuredTruths(checks)
  return [
    ...[...audit.organisms, ...(audit.heldOut?.organisms ?? [])].filter((o) => passed.has(o.id)).map(simulated),
    ...audit.sweeps.flatMap((s) => s.organisms).map(simulated),
    ...audit.series.flatMap(checkpointOrganisms).map(simulated),
    ...audit.promptedOrganisms.filter((o) => passed.has(o.id)).map((o) => promptedRespondent(o, realTruth(o, measured))),
    ...(audit.externalOrganisms ?? []).filter((o) => passed.has(o.id)).map((o) => externalRespondent(o, realTruth(o, measured)))
  ]
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
  options: { readonly concurrency: number; readonly batchSamples?: number | undefined }
) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const progress = yield* Progress
    const finished = yield* store.finishedCells(run.id)
    const plan = planCells(
      audit.evaluations.map(prepareEvaluation),
      measuredOrganisms(audit, checks),
      run.replicates,
      (e, o, r) => finished.has(cellKey(e.evaluation.id, o.id, r))
    )
    const samplesOf = (e: ResolvedEvaluation) => e.dataset.samples.length * e.protocol.epochs

    yield* progress.start(plan.pending.length + plan.done, plan.done)
    for (const batch of batches(plan.pending, (c) => samplesOf(c.evaluation.evaluation), options.batchSamples ?? BATCH_SAMPLES)) {
      const measured = yield* Effect.forEach(
        batch,
        ({ evaluation, organism, replicate }) => measureCell(evaluation, organism, graderOf(evaluation.grading), run.seed, replicate),
        { concurrency: options.concurrency }
      )
      yield* store.saveCells(run.id, measured)
      yield* progress.advance(measured.length, measured.reduce((s, m) => s + m.samples.length, 0))
    }
    yield* progress.finish()
    return { cellsPlanned: plan.pending.length + plan.done, cellsRun: plan.pending.length, cellsSkipped: plan.done } satisfies MeasuredRun
  })
