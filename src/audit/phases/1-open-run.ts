import { Clock, Effect, Option } from "effect"
import type { ResolvedAudit } from "../../domain/audit.js"
import { RunError } from "../../domain/run-error.js"
import { StoreError } from "../../domain/store-error.js"
import { sha256Hex } from "../../stats/seeded-random.js"
import { AuditStore, type StoredRun } from "../../store/audit-store.js"
import { VERSION } from "../../version.js"
import { encodeAudit, specHash } from "../spec-hash.js"
import type { RunOptions } from "./run-options.js"

export const isoNow = Clock.currentTimeMillis.pipe(Effect.map((ms) => new Date(ms).toISOString()))

/** A new run's id; `attempt` > 0 when an earlier one was taken (two processes starting the same audit at the same instant). */
const newRunId = (hash: string, seed: number, now: string, attempt: number): string =>
  `run-${now.replace(/[-:]/g, "").replace(/\..*$/, "")}-${sha256Hex(`${hash}|${seed}|${now}${attempt === 0 ? "" : `|${attempt}`}`).slice(0, 6)}`

/** Ids tried for a new run before giving up: each is taken only by a run created in the same millisecond. */
const ID_ATTEMPTS = 64

/** What phase 1 hands on: the run (new or resumed) every later phase writes to. */
export interface OpenedRun {
  readonly run: StoredRun
  readonly resumed: boolean
}

/** Checks that a stored run may be resumed with this audit and these options, and claims it for this process. */
const resume = (run: StoredRun, hash: string, options: RunOptions) =>
  Effect.gen(function* () {
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
    yield* (yield* AuditStore).claimRun(run.id)
    return { run, resumed: true } satisfies OpenedRun
  })

/**
 * Phase 1: finds the run to resume, or records a new one; refuses to resume a run made from
 * another spec, or one another process is measuring. Creating is one INSERT, so of two
 * processes creating one id, one creates and the other resumes (and is refused while the
 * first holds the run).
 */
export const openRun = (audit: ResolvedAudit, options: RunOptions) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const hash = yield* specHash(audit)
    const existing = options.runId === undefined ? Option.none() : yield* store.findRun(options.runId)
    if (Option.isSome(existing)) return yield* resume(existing.value, hash, options)
    const seed = options.seed ?? audit.seed
    // A subset drawn with another seed than the run's would make the run's seed not the root of its randomness.
    if (seed !== audit.seed && audit.evaluations.some((e) => e.dataset.origin?.subset !== undefined)) {
      return yield* new RunError({
        reason: "SettingsChanged",
        message: `seed ${seed} is not the seed ${audit.seed} the audit's subsets were drawn with: load it with loadAudit(file, { seed: ${seed} })`
      })
    }
    const now = yield* isoNow
    const specJson = yield* encodeAudit(audit)
    const fresh = (id: string): StoredRun => ({
      id,
      audit: audit.name,
      source: audit.source,
      version: VERSION,
      seed,
      replicates: options.replicates ?? audit.replicates,
      specHash: hash,
      specJson,
      command: options.command,
      startedAt: now,
      finishedAt: null
    })
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const run = fresh(options.runId ?? newRunId(hash, seed, now, attempt))
      const created = yield* store.createRun(run).pipe(
        Effect.as(true),
        Effect.catchIf((e) => e.reason === "Exists", () => Effect.succeed(false))
      )
      if (created) return { run, resumed: false } satisfies OpenedRun
      if (options.runId !== undefined) {
        const taken = yield* store.findRun(options.runId)
        if (Option.isSome(taken)) return yield* resume(taken.value, hash, options)
      }
    }
    return yield* new StoreError({ reason: "Exists", message: `no free run id after ${ID_ATTEMPTS} attempts` })
  })
