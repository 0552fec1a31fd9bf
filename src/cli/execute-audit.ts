import { FileSystem } from "@effect/platform"
import { Console, Effect, Layer, Option } from "effect"
import { RunIncomplete } from "../domain/run-error.js"
import type { CacheMode } from "../providers/cache.js"
import { providerHttpClientLayer } from "../providers/http-layer.js"
import { checkProviderKeys, Providers, providersLayer, responseCacheFromStore } from "../measure/providers.js"
import type { ResolvedAudit } from "../domain/audit.js"
import { writeOutputs } from "./write-outputs.js"
import { Progress } from "../audit/progress.js"
import { loadAudit } from "../audit/load-audit.js"
import { runAudit } from "../audit/run-audit.js"
import { AuditStore, layerSqlite } from "../store/audit-store.js"
import { stderrProgress } from "./progress-stderr.js"
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
    options.noCache && options.cacheOnly ? Effect.fail(new UsageError({ message: "--no-cache and --cache-only exclude each other" })) : Effect.void
  ])

/**
 * The store, and the audit's providers behind the response cache kept in that store (one
 * SQLite connection serves both).
 */
const cacheMode = (options: ExecuteOptions): CacheMode => (options.cacheOnly ? "only" : options.noCache ? "refresh" : "use")

const runLayer = (spec: ResolvedAudit, options: ExecuteOptions) => {
  const store = layerSqlite(options.db)
  if (Object.keys(spec.providers).length === 0) return Layer.merge(store, Providers.none)
  return providersLayer(spec.providers, cacheMode(options)).pipe(
    Layer.provide(responseCacheFromStore),
    Layer.provide(providerHttpClientLayer),
    Layer.provideMerge(store)
  )
}

/**
 * Runs (or resumes) a loaded audit into the store and writes its reports: the shared body
 * of `run` and of `check` given an audit file.
 */
export const executeAudit = (spec: ResolvedAudit, options: ExecuteOptions) =>
  Effect.gen(function* () {
    yield* validateExecuteOptions(options)
    yield* checkDbPath(options.db)
    const tooLarge = checkWorkBudget(spec, { replicates: Option.getOrUndefined(options.replicates), allowLarge: options.allowLarge })
    if (tooLarge !== undefined) return yield* tooLarge
    yield* checkProviderKeys(spec.providers, cacheMode(options))
    const report = yield* runAudit(spec, {
      seed: Option.getOrUndefined(options.seed),
      replicates: Option.getOrUndefined(options.replicates),
      concurrency: options.concurrency,
      runId: Option.getOrUndefined(options.runId),
      command: process.argv.slice(2).join(" ")
    }).pipe(Effect.provide(runLayer(spec, options)), Effect.provide(options.quiet ? Progress.silent : stderrProgress))
    const written = yield* writeOutputs(report.summary, options.out, Option.getOrUndefined(options.json))
    return { report, written }
  })

/** After the outputs are written: a run that could not finish says why and exits 1. */
export const failIfIncomplete = (report: { readonly problems: ReadonlyArray<string>; readonly run: { readonly id: string } }) =>
  Effect.gen(function* () {
    if (report.problems.length === 0) return
    for (const problem of report.problems) yield* Console.error(`evalaudit: ${problem}`)
    return yield* new RunIncomplete({ message: `run ${report.run.id} is incomplete; resume it with --run-id ${report.run.id}` })
  })
