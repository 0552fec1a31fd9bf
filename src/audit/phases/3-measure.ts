import { Array, Effect, Fiber } from "effect"
import type { ResolvedAudit } from "../../domain/audit.js"
import type { ResolvedEvaluation } from "../../domain/evaluation.js"
import type { OrganismSpec } from "../../domain/organism.js"
import type { ManipulationCheck } from "../../domain/run.js"
import { graderOf } from "../../measure/grader.js"
import { measureCell, prepareEvaluation, type PreparedEvaluation } from "../../measure/measure-cell.js"
import type { Providers } from "../../measure/providers.js"
import { externalRespondent, promptedRespondent, simulatedRespondent, type Respondent } from "../../measure/respondent.js"
import { batches, planCells, type PlannedCell } from "../../measure/plan.js"
import { simulate } from "../../organisms/organism.js"
import { measuredTruths, realTruth } from "../../organisms/profile.js"
import { AuditStore, cellKey, type StoredRun } from "../../store/audit-store.js"
import { letSignalsIn } from "../let-signals-in.js"
import { cellPool } from "../cell-pool.js"
import { Progress } from "../progress.js"
import { simulatedOrganismSpecs } from "../simulated-organisms.js"

/** Responses per store transaction: large enough to amortise, small enough to lose little on a crash. */
const BATCH_SAMPLES = 4096

/** What phase 3 hands on: how many cells the run has, and how many this invocation measured. */
export interface MeasuredRun {
  readonly cellsPlanned: number
  readonly cellsRun: number
  readonly cellsSkipped: number
}

/** A simulated organism, whose cells a cell worker can measure, or a prompted one, asked through its provider. */
type MeasuredOrganism = Respondent<Providers> & { readonly simulated: boolean }

/**
 * The organisms whose cells are measured: those that passed their manipulation check, and
 * every sweep and series organism (see `simulatedOrganismSpecs`). With "all", every organism
 * the run may measure, checked or not (what shards split).
 */
export const measuredOrganisms = (audit: ResolvedAudit, checks: ReadonlyArray<ManipulationCheck> | "all"): Array<MeasuredOrganism> => {
  const passed = checks === "all" ? undefined : new Set(checks.filter((c) => c.passed).map((c) => c.organism))
  const checked = (o: { readonly id: string }) => passed === undefined || passed.has(o.id)
  const specs = simulatedOrganismSpecs(audit)
  const simulated = (spec: OrganismSpec): MeasuredOrganism => ({ ...simulatedRespondent(simulate(spec)), simulated: true })
  // A real model's truth is what its stored calibration measured: cells are scored against it.
  const measured = measuredTruths(checks === "all" ? [] : checks)
  return [
    ...specs.checked.filter(checked).map(simulated),
    ...specs.unchecked.map(simulated),
    ...audit.promptedOrganisms.filter(checked).map((o): MeasuredOrganism => ({ ...promptedRespondent(o, realTruth(o, measured)), simulated: false })),
    ...(audit.externalOrganisms ?? []).filter(checked).map((o): MeasuredOrganism => ({ ...externalRespondent(o, realTruth(o, measured)), simulated: false }))
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
 * Below this many samples for the workers a run measures on the main thread: starting a
 * worker (loading the engine, decoding the audit) costs about as much as measuring this
 * many samples, so small audits would only get slower.
 */
const POOL_MIN_SAMPLES = 20_000

/** Batches the workers measure while an earlier one is written (each holds at most `BATCH_SAMPLES` responses). */
const BATCHES_AHEAD = 2

export interface MeasureOptions {
  readonly concurrency: number
  /** Threads measuring simulated cells (1: the main thread alone); never changes a number. */
  readonly workers?: number | undefined
  readonly batchSamples?: number | undefined
  /** Only the cells of one shard (see ../shard-cells.ts); every cell when absent. */
  readonly include?: ((evaluation: string, organism: string, replicate: number) => boolean) | undefined
}

/**
 * Phase 3: every cell not yet stored, in batches written one transaction each (a batch's
 * cells and their responses commit together, so a killed run loses at most the batch in
 * flight). Finished cells are never rerun, and since every draw comes from the seeded hash
 * a resumed run equals an uninterrupted one. With workers, the next batches are measured
 * on them while the main thread writes one.
 */
export const measureRun = (audit: ResolvedAudit, run: StoredRun, checks: ReadonlyArray<ManipulationCheck>, options: MeasureOptions) =>
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
    const evaluationIndex = new Map(audit.evaluations.map((e, i) => [e.id, i]))
    // Simulated organisms under built-in graders answer and grade in-process: those cells can go to a worker.
    const poolable = (cell: Cell) => cell.organism.simulated && cell.evaluation.grading._tag === "BuiltIn"
    const workers = options.workers ?? 1
    const pooledSamples = plan.pending.reduce((sum, c) => sum + (poolable(c) ? samplesOf(c.evaluation.evaluation) : 0), 0)
    const pool = workers > 1 && pooledSamples >= POOL_MIN_SAMPLES ? yield* cellPool(audit, run.seed, workers) : undefined

    const inProcess = (cells: ReadonlyArray<Cell>) =>
      Effect.forEach(
        cells,
        ({ evaluation, organism, replicate }) => measureCell(evaluation, organism, graderOf(evaluation.grading), run.seed, replicate, inFlight(evaluation, organism)),
        { concurrency: options.concurrency }
      )
    // A batch's pooled cells are sent to the workers as soon as it is started; its other cells
    // (prompted organisms, judges) are measured here when its turn comes, `--concurrency` at a time.
    const startBatch = (batch: ReadonlyArray<Cell>) =>
      Effect.gen(function* () {
        if (pool === undefined) return { pooled: undefined, local: batch }
        const [local, pooled] = Array.partition(batch, poolable)
        const tasks = pooled.map((c) => ({ evaluation: evaluationIndex.get(c.evaluation.evaluation.id) ?? -1, organism: c.organism.id, replicate: c.replicate }))
        return { pooled: yield* Effect.fork(pool.measure(tasks)), local }
      })

    yield* progress.start(plan.pending.length + plan.done, plan.done)
    const all = batches(plan.pending, (c) => samplesOf(c.evaluation.evaluation), options.batchSamples ?? BATCH_SAMPLES)
    // With workers, the next batches are on them while this thread writes one, so they need not wait for the store.
    const ahead = pool === undefined ? 0 : BATCHES_AHEAD
    const started: Array<Effect.Effect.Success<ReturnType<typeof startBatch>>> = []
    let next = 0
    while (next < all.length || started.length > 0) {
      // A stop asked for (SIGINT, SIGTERM) lands here: the batches saved stay, the run stays incomplete.
      yield* letSignalsIn
      while (next < all.length && started.length <= ahead) started.push(yield* startBatch(all[next++] ?? []))
      // Let the workers' fibers send their cells before the store write below holds this thread.
      yield* Effect.yieldNow()
      const batch = started.shift()
      if (batch === undefined) break
      const [pooled, local] = yield* Effect.all([batch.pooled === undefined ? Effect.succeed([]) : Fiber.join(batch.pooled), inProcess(batch.local)], {
        concurrency: 2
      })
      const measured = [...pooled, ...local]
      yield* store.saveCells(run.id, measured)
      yield* progress.advance(measured.length, measured.reduce((s, m) => s + m.samples.length, 0))
    }
    yield* progress.finish()
    return { cellsPlanned: plan.pending.length + plan.done, cellsRun: plan.pending.length, cellsSkipped: plan.done } satisfies MeasuredRun
  }).pipe(Effect.scoped)

type Cell = PlannedCell<PreparedEvaluation, MeasuredOrganism>
