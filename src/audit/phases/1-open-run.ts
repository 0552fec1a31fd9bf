import { Clock, Effect, Option } from "effect"
import type { ResolvedAudit } from "../../domain/audit.js"
import { RunError } from "../../domain/run-error.js"
import { sha256Hex } from "../../stats/seeded-random.js"
import { AuditStore, type StoredRun } from "../../store/audit-store.js"
import { VERSION } from "../../version.js"
import { encodeAudit, specHash } from "../spec-hash.js"
import type { RunOptions } from "./run-options.js"

export const isoNow = Clock.currentTimeMillis.pipe(Effect.map((ms) => new Date(ms).toISOString()))

const newRunId = (hash: string, seed: number, now: string): string =>
  `run-${now.replace(/[-:]/g, "").replace(/\..*$/, "")}-${sha256Hex(`${hash}|${seed}|${now}`).slice(0, 6)}`

/** What phase 1 hands on: the run (new or resumed) every later phase writes to. */
export interface OpenedRun {
  readonly run: StoredRun
  readonly resumed: boolean
}

/** Phase 1: finds the run to resume, or records a new one; refuses to resume a run made from another spec. */
export const openRun = (audit: ResolvedAudit, options: RunOptions) =>
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
      return { run, resumed: true } satisfies OpenedRun
    }
    const seed = options.seed ?? audit.seed
    // A subset drawn with another seed than the run's would make the run's seed not the root of its randomness.
    if (seed !== audit.seed && audit.evaluations.some((e) => e.dataset.origin?.subset !== undefined)) {
      return yield* new RunError({
        reason: "SettingsChanged",
        message: `seed ${seed} is not the seed ${audit.seed} the audit's subsets were drawn with: load it with loadAudit(file, { seed: ${seed} })`
      })
    }
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
    return { run, resumed: false } satisfies OpenedRun
  })
