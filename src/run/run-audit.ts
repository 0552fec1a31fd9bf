import { Clock, Effect, Either, Option, Schema } from "effect"
import { ResolvedAudit } from "../domain/audit.js"
import type { ResolvedEvaluation } from "../domain/evaluation.js"
import type { CellResult, TriggerResult } from "../domain/outcome.js"
import type { Summary } from "../domain/summary.js"
import { checkAuditGraders, graderScores } from "../graders/battery/audit-graders.js"
import { specHash, encodeAudit } from "../audit/spec-hash.js"
import { manipulationCheck, type ManipulationCheck } from "../organisms/manipulation-check.js"
import { simulate } from "../organisms/organism.js"
import { decideTriggers } from "../policy/trigger.js"
import { summarize } from "../scoring/summarize.js"
import { sha256Hex } from "../stats/seeded-random.js"
import { AuditStore, cellKey, type StoredRun } from "../store/audit-store.js"
import { StoreError } from "../store/store-error.js"
import { VERSION } from "../version.js"
import { batches, planCells } from "./plan.js"
import { measureCell, measureCellWithProviders, prepareEvaluation, type Respondent } from "./measure-cell.js"
import { type ProviderEntry, Providers } from "./providers.js"
import type { OrganismSpec } from "../domain/organism.js"
import { checkpointOrganisms } from "../timing/series.js"
import { probeRequest, probesFor } from "../prompted/probes.js"
import { type ProbeItem, readProbe } from "../prompted/probe-item.js"
import type { PromptedOrganismSpec } from "../prompted/spec.js"
import { asManipulationCheck, defectCount, manipulationVerdict } from "../prompted/verdict.js"
import { ProviderError } from "../providers/chat.js"
import { Progress } from "./progress.js"
import { RunError } from "./run-error.js"

export interface RunOptions {
  /** Overrides the audit's seed (a new run only; a resumed run keeps its own). */
  readonly seed?: number | undefined
  readonly replicates?: number | undefined
  readonly concurrency: number
  /** Resume this run, or create it under this id. */
  readonly runId?: string | undefined
  /** The command line, recorded so the memo can say how to reproduce the run. */
  readonly command: string
  /** Responses written per store transaction (default 4,096): the most a crash can lose. */
  readonly batchSamples?: number | undefined
}

export interface RunReport {
  readonly run: StoredRun
  readonly resumed: boolean
  readonly cellsRun: number
  readonly cellsSkipped: number
  readonly summary: Summary
  /** What kept this run from finishing that the summary cannot show (a prompted organism's check that could not run, and why). */
  readonly problems: ReadonlyArray<string>
}

/** Responses per store transaction: large enough to amortise, small enough to lose little on a crash. */
const BATCH_SAMPLES = 4096

const isoNow = Clock.currentTimeMillis.pipe(Effect.map((ms) => new Date(ms).toISOString()))

const newRunId = (hash: string, seed: number, now: string): string =>
  `run-${now.replace(/[-:]/g, "").replace(/\..*$/, "")}-${sha256Hex(`${hash}|${seed}|${now}`).slice(0, 6)}`

/** Finds the run to resume, or records a new one; refuses to resume a run made from another spec. */
const openRun = (audit: ResolvedAudit, options: RunOptions) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const hash = yield* specHash(audit)
    const existing = options.runId === undefined ? Option.none() : yield* store.findRun(options.runId)
    if (Option.isSome(existing)) {
      const run = existing.value
      if (run.specHash !== hash) {
        return yield* new RunError({
          reason: "SpecChanged",
          message: `run ${run.id} was made from spec ${run.specHash}, the audit is now ${hash}: start a new run instead of resuming`
        })
      }
      if (run.version !== VERSION) {
        return yield* new RunError({
          reason: "SettingsChanged",
          message: `run ${run.id} was made by evalaudit ${run.version}, this is ${VERSION}: start a new run so one run never mixes two versions`
        })
      }
      if (options.seed !== undefined && options.seed !== run.seed) {
        return yield* new RunError({ reason: "SettingsChanged", message: `run ${run.id} uses seed ${run.seed}, not ${options.seed}` })
      }
      if (options.replicates !== undefined && options.replicates !== run.replicates) {
        return yield* new RunError({
          reason: "SettingsChanged",
          message: `run ${run.id} has ${run.replicates} replicates, not ${options.replicates}`
        })
      }
      return { run, resumed: true }
    }
    const seed = options.seed ?? audit.seed
    const now = yield* isoNow
    const run: StoredRun = {
      id: options.runId ?? newRunId(hash, seed, now),
      audit: audit.name,
      source: audit.source,
      version: VERSION,
      seed,
      replicates: options.replicates ?? audit.replicates,
      specHash: hash,
      specJson: yield* encodeAudit(audit),
      command: options.command,
      startedAt: now,
      finishedAt: null
    }
    yield* store.createRun(run)
    return { run, resumed: false }
  })

/** Every trigger's decision for every organism that passed its manipulation check. */
const triggerResults = (
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
 * The organisms whose cells are measured: those that passed their manipulation check, and
 * every sweep organism (a sweep maps detection against the defect's size, small sizes
 * included, so its points are not checked one by one).
 */
const measuredOrganisms = (audit: ResolvedAudit, checks: ReadonlyArray<ManipulationCheck>): Array<Respondent> => {
  const passed = new Set(checks.filter((c) => c.passed).map((c) => c.organism))
  const simulated = (spec: OrganismSpec): Respondent => ({ _tag: "Simulated", id: spec.id, organism: simulate(spec) })
  return [
    ...[...audit.organisms, ...(audit.heldOut?.organisms ?? [])].filter((o) => passed.has(o.id)).map(simulated),
    ...audit.sweeps.flatMap((s) => s.organisms).map(simulated),
    ...audit.series.flatMap(checkpointOrganisms).map(simulated),
    ...audit.promptedOrganisms.filter((o) => passed.has(o.id)).map((spec): Respondent => ({ _tag: "Prompted", id: spec.id, spec }))
  ]
}

/**
 * The manipulation check of a prompted organism, run for real: its probes with and without
 * its trigger go to its model, and its defect rate with the trigger must lie clearly above
 * the rate without. A provider failure leaves the check undone (the organism is not
 * measured this time, and a resumed run tries again).
 */
const promptedCheck = (spec: PromptedOrganismSpec) =>
  Effect.gen(function* () {
    if (spec.archetype === "aligned-control") return asManipulationCheck(spec, null)
    const entry = (yield* Providers).get(spec.provider)
    if (entry === undefined) return yield* new ProviderError({ reason: "BadRequest", attempts: 0, message: `no provider "${spec.provider}" in this run` })
    const probes = probesFor(spec)
    const ask = (item: ProbeItem) =>
      entry.provider
        .complete({ model: entry.model, ...probeRequest(spec, item), maxTokens: 512, temperature: 0 })
        .pipe(Effect.map((response) => readProbe(item, response.text)))
    const triggered = yield* Effect.forEach(probes.triggered, ask, { concurrency: 8 })
    const untriggered = yield* Effect.forEach(probes.untriggered, ask, { concurrency: 8 })
    const verdict = manipulationVerdict(
      defectCount(triggered, "triggered"),
      triggered.length,
      defectCount(untriggered, "untriggered"),
      untriggered.length
    )
    return asManipulationCheck(spec, verdict)
  })

const decodeStoredAudit = Schema.decodeUnknown(Schema.parseJson(ResolvedAudit))

/** Scores a stored run from the store alone: what `report` and the end of `run` both use. */
export const summarizeRun = (runId: string, options: { readonly unseal?: boolean } = {}) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const found = yield* store.findRun(runId)
    if (Option.isNone(found)) return yield* new RunError({ reason: "UnknownRun", message: `no run ${runId} in the store` })
    const run = found.value
    const audit = yield* decodeStoredAudit(run.specJson).pipe(
      Effect.mapError((e) => new StoreError({ reason: "Corrupt", message: `stored spec of ${runId}: ${e.message}` }))
    )
    const cells = yield* store.loadCells(runId)
    const checks = yield* store.loadChecks(runId)
    const graders = yield* store.loadGraderChecks(runId)
    const sampleScores = yield* store.loadSampleScores(runId, [...new Set(audit.comparisons.flatMap((c) => [c.a, c.b]))])
    // Triggers are recomputed from the cells, so an interrupted run never shows stale ones.
    const triggers = triggerResults(audit, cells, checks, run.replicates)
    return { run, audit, summary: summarize(audit, run, cells, triggers, checks, graders, sampleScores, options) }
  })

/**
 * Runs (or resumes) an audit: manipulation checks, then every pending cell in batches
 * written one transaction each, then triggers over the stored cells. Finished cells are
 * never rerun, and since every draw comes from the seeded hash a resumed run equals an
 * uninterrupted one.
 */
export const runAudit = (audit: ResolvedAudit, options: RunOptions) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const progress = yield* Progress
    const { run, resumed } = yield* openRun(audit, options)

    const storedChecks = yield* store.loadChecks(run.id)
    const checked = new Set(storedChecks.map((c) => c.organism))
    const providers = Option.getOrElse(yield* Effect.serviceOption(Providers), () => new Map<string, ProviderEntry>())
    const withProviders = Effect.provideService(Providers, providers)
    const simulatedChecks = [...audit.organisms, ...(audit.heldOut?.organisms ?? [])]
      .filter((o) => !checked.has(o.id))
      .map((o) => manipulationCheck(o, run.seed, audit.manipulationCheck.samples))
    const promptedChecks = yield* Effect.forEach(
      audit.promptedOrganisms.filter((o) => !checked.has(o.id)),
      (spec) =>
        promptedCheck(spec).pipe(
          Effect.mapError((e) => `manipulation check of ${spec.id} not run (${e.reason}: ${e.message}); the organism is not measured until a resumed run checks it`),
          Effect.either,
          withProviders
        )
    )
    const newChecks = [...simulatedChecks, ...promptedChecks.flatMap((c) => (Either.isRight(c) ? [c.right] : []))]
    const problems = promptedChecks.flatMap((c) => (Either.isLeft(c) ? [c.left] : []))
    const checksUndone = problems.length
    if (newChecks.length > 0) yield* store.saveChecks(run.id, newChecks)
    const checks = [...storedChecks, ...newChecks]

    // The grader battery is pure and seeded: run it once per run, like the manipulation checks.
    if (audit.graderBattery.numRuns > 0 && (yield* store.loadGraderChecks(run.id)).length === 0) {
      yield* store.saveGraderChecks(run.id, graderScores(checkAuditGraders(audit, { seed: run.seed, numRuns: audit.graderBattery.numRuns })))
    }

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
        ({ evaluation, organism, replicate }) =>
          // Simulated organisms with built-in graders stay in-process and synchronous: the fast path.
          organism._tag === "Simulated" && evaluation.grading._tag === "BuiltIn"
            ? Effect.sync(() => measureCell(evaluation, organism.organism, run.seed, replicate))
            : measureCellWithProviders(evaluation, organism, run.seed, replicate).pipe(withProviders),
        { concurrency: options.concurrency }
      )
      yield* store.saveCells(run.id, measured)
      yield* progress.advance(measured.length, measured.reduce((s, m) => s + m.samples.length, 0))
    }
    yield* progress.finish()

    const cells = yield* store.loadCells(run.id)
    yield* store.saveTriggerResults(run.id, triggerResults(audit, cells, checks, run.replicates))
    const complete = checksUndone === 0 && cells.length === plan.pending.length + plan.done && cells.every((c) => c._tag === "Measured")
    if (complete && run.finishedAt === null) yield* store.finishRun(run.id, yield* isoNow)

    const { summary, run: stored } = yield* summarizeRun(run.id)
    return { run: stored, resumed, cellsRun: plan.pending.length, cellsSkipped: plan.done, summary, problems } satisfies RunReport
  })
