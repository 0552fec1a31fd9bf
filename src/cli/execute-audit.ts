import { FileSystem } from "@effect/platform"
import { Console, Effect, FiberRef, Layer, Option, Ref } from "effect"
import { dirname } from "node:path"
import { RunIncomplete } from "../domain/run-error.js"
import type { CacheMode } from "../providers/cache.js"
import { providerHttpClientLayer } from "../providers/http-layer.js"
import { checkProviderKeys, Providers, providersLayer, responseCacheFromStore } from "../measure/providers.js"
import type { ResolvedAudit } from "../domain/audit.js"
import { writeOutputs } from "./write-outputs.js"
import { Progress } from "../audit/progress.js"
import { loadAudit } from "../audit/load-audit.js"
import { runAuditPublishing, type RunOptions } from "../audit/run-audit.js"
import { AuditStore, layerSqlite } from "../store/audit-store.js"
import { checkWritable } from "./check-writable.js"
import { interruptNote } from "./interrupted.js"
import { stderrProgress } from "./progress-stderr.js"
import { forMessage } from "./terminal.js"
import * as Shared from "./shared-options.js"
import { shellQuote } from "./shell-quote.js"
import { UsageError } from "./usage-error.js"
import { checkWorkBudget } from "../audit/work-estimate.js"
import { checkDbPath } from "./db-path.js"
import { formatLimit, LIMITS } from "../domain/limits.js"

/** What `run` and `check <audit>` take from their command lines to run an audit. */
export interface ExecuteOptions {
  readonly db: string
  readonly out: string
  readonly json: Option.Option<string>
  readonly seed: Option.Option<number>
  readonly replicates: Option.Option<number>
  readonly concurrency: number
  readonly workers: number
  readonly runId: Option.Option<string>
  readonly quiet: boolean
  readonly noCache: boolean
  readonly cacheOnly: boolean
  readonly allowLarge: boolean
}

/**
 * The seed an audit is loaded under for `run` and `check`: a resumed run's own (its subsets
 * were drawn with it; a different --seed is then refused by the run), else --seed, else
 * none (the audit's seed).
 */
const seedToLoad = (options: Pick<ExecuteOptions, "db" | "seed" | "runId">) =>
  Effect.gen(function* () {
    const given = Option.getOrUndefined(options.seed)
    if (Option.isNone(options.runId)) return given
    const fs = yield* FileSystem.FileSystem
    // No store yet means nothing to resume, and looking must not create one (bad input writes nothing).
    if (!(yield* fs.exists(options.db).pipe(Effect.orElseSucceed(() => false)))) return given
    const runId = options.runId.value
    const stored = yield* Effect.flatMap(AuditStore, (store) => store.findRun(runId)).pipe(Effect.provide(layerSqlite(options.db, { mustExist: true })))
    return Option.match(stored, { onNone: () => given, onSome: (run) => run.seed })
  })

/** Loads an audit file for `run` or `check`, resolved under the run's seed so its subsets are the run's. */
export const loadAuditForRun = (file: string, options: Pick<ExecuteOptions, "db" | "seed" | "runId">) =>
  seedToLoad(options).pipe(Effect.flatMap((seed) => loadAudit(file, { seed })))

const atLeastOne = (name: string, v: Option.Option<number>, max = Infinity) =>
  Option.isSome(v) && (v.value < 1 || v.value > max)
    ? Effect.fail(new UsageError({ message: `--${name} must be from 1${max === Infinity ? "" : ` to ${formatLimit(max)}`}, got ${v.value}` }))
    : Effect.void

/** Checks the numeric options before anything is written, so bad input leaves no store behind. */
export const validateExecuteOptions = (options: ExecuteOptions) =>
  Effect.all([
    atLeastOne("replicates", options.replicates, LIMITS.replicates),
    atLeastOne("concurrency", Option.some(options.concurrency)),
    atLeastOne("workers", Option.some(options.workers)),
    options.noCache && options.cacheOnly ? Effect.fail(new UsageError({ message: "--no-cache and --cache-only exclude each other" })) : Effect.void
  ])

/**
 * The store, and the audit's providers behind the response cache kept in that store (one
 * SQLite connection serves both).
 */
const cacheMode = (options: ExecuteOptions): CacheMode => (options.cacheOnly ? "only" : options.noCache ? "refresh" : "use")

export const storeWithProviders = (spec: ResolvedAudit, db: string, mode: CacheMode) => {
  const store = layerSqlite(db)
  if (Object.keys(spec.providers).length === 0) return Layer.merge(store, Providers.none)
  return providersLayer(spec.providers, mode).pipe(
    Layer.provide(responseCacheFromStore),
    Layer.provide(providerHttpClientLayer),
    Layer.provideMerge(store)
  )
}

const runLayer = (spec: ResolvedAudit, options: ExecuteOptions) => storeWithProviders(spec, options.db, cacheMode(options))

/** The command that resumes a run, with the store and output folder when they are not the defaults. */
export const resumeCommand = (file: string, runId: string, options: Pick<ExecuteOptions, "db" | "out">): string =>
  [
    "evalaudit run",
    shellQuote(file),
    `--run-id ${runId}`,
    ...(options.db === Shared.defaults.db ? [] : [`--db ${shellQuote(options.db)}`]),
    ...(options.out === Shared.defaults.out ? [] : [`--out ${shellQuote(options.out)}`])
  ].join(" ")

/** The progress display, telling `onOpened` the run's id as soon as it is known. */
const progressLayer = (quiet: boolean, onOpened: (runId: string) => Effect.Effect<void>) =>
  Layer.effect(
    Progress,
    Effect.map(Progress, (shown) => ({ ...shown, opened: (runId: string, resumed: boolean) => Effect.zipRight(onOpened(runId), shown.opened(runId, resumed)) }))
  ).pipe(Layer.provide(quiet ? Progress.silent : stderrProgress))

/** The run's settings from the command line. */
export const runOptions = (options: ExecuteOptions): RunOptions => ({
  seed: Option.getOrUndefined(options.seed),
  replicates: Option.getOrUndefined(options.replicates),
  concurrency: options.concurrency,
  workers: options.workers,
  runId: Option.getOrUndefined(options.runId),
  command: process.argv.slice(2).join(" ")
})

/** What is checked before any store is opened: the options, the --db path, the work budget and the providers' keys. */
const preflight = (spec: ResolvedAudit, options: ExecuteOptions) =>
  Effect.gen(function* () {
    yield* validateExecuteOptions(options)
    yield* checkDbPath(options.db)
    const tooLarge = checkWorkBudget(spec, { replicates: Option.getOrUndefined(options.replicates), allowLarge: options.allowLarge })
    if (tooLarge !== undefined) return yield* tooLarge
    yield* checkProviderKeys(spec.providers, cacheMode(options))
  })

/**
 * Runs `run` (a run of `spec`, or a shard of one) after the preflight checks, with the store,
 * the providers and progress it needs.
 */
export const withRunContext = <A, E>(
  spec: ResolvedAudit,
  options: ExecuteOptions,
  run: Effect.Effect<A, E, AuditStore | Providers | Progress>
) =>
  Effect.gen(function* () {
    yield* preflight(spec, options)
    return yield* run.pipe(Effect.provide(runLayer(spec, options)), Effect.provide(options.quiet ? Progress.silent : stderrProgress))
  })

/**
 * Runs (or resumes) a loaded audit (from `file`) into the store and writes its reports: the
 * shared body of `run` and of `check` given an audit file. The output folder is checked
 * before the store is opened; the run is marked finished only once its reports are written;
 * stopped by a signal, it says how to resume.
 */
export const executeAudit = (spec: ResolvedAudit, options: ExecuteOptions, file: string) =>
  Effect.gen(function* () {
    yield* preflight(spec, options)
    yield* checkWritable(options.out, "--out")
    const jsonFile = Option.getOrUndefined(options.json)
    if (jsonFile !== undefined) yield* checkWritable(dirname(jsonFile), "--json")
    const opened = yield* Ref.make<string | undefined>(undefined)
    const report = yield* runAuditPublishing(
      spec,
      runOptions(options),
      (summary) => writeOutputs(summary, options.out, jsonFile)
    ).pipe(
      Effect.provide(runLayer(spec, options)),
      Effect.provide(progressLayer(options.quiet, (runId) => Ref.set(opened, runId))),
      Effect.onInterrupt(() =>
        Effect.flatMap(Ref.get(opened), (runId) =>
          runId === undefined ? Effect.void : FiberRef.set(interruptNote, `resume with: ${resumeCommand(file, runId, options)}`)
        )
      )
    )
    return { report, written: report.published }
  })

/** After the outputs are written: a run that could not finish says why and exits 1. */
export const failIfIncomplete = (report: { readonly problems: ReadonlyArray<string>; readonly run: { readonly id: string } }) =>
  Effect.gen(function* () {
    if (report.problems.length === 0) return
    for (const problem of report.problems) yield* Console.error(`evalaudit: ${forMessage(problem)}`)
    return yield* new RunIncomplete({ message: `run ${report.run.id} is incomplete; resume it with --run-id ${report.run.id}` })
  })
