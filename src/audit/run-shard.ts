import { Effect, Option } from "effect"
import type { ResolvedAudit } from "../domain/audit.js"
import { formatShard, type Shard, ShardError } from "../domain/shard.js"
import { type ProviderEntry, Providers } from "../measure/providers.js"
import { sha256Hex } from "../stats/seeded-random.js"
import { AuditStore, type StoredRun } from "../store/audit-store.js"
import { VERSION } from "../version.js"
import { isoNow, openRun } from "./phases/1-open-run.js"
import { checkRun } from "./phases/2-check.js"
import { measureRun } from "./phases/3-measure.js"
import type { RunOptions } from "./phases/run-options.js"
import { shardCells } from "./shard-cells.js"
import { specHash } from "./spec-hash.js"

export interface ShardReport {
  readonly run: StoredRun
  readonly shard: Shard
  readonly resumed: boolean
  /** This shard's cells (of organisms that passed their checks), how many this invocation measured, and how many were done before. */
  readonly cellsPlanned: number
  readonly cellsRun: number
  readonly cellsSkipped: number
  /** Every cell of the shard measured and every check run: the shard is ready to merge. */
  readonly complete: boolean
  readonly problems: ReadonlyArray<string>
}

/**
 * The run id every shard of one audit shares when none is given: a function of what must
 * agree for shards to merge (spec, seed, replicates, engine version), so a shard started
 * again on a fresh machine or pod resumes its own run, and the merged run keeps the id.
 */
export const shardRunId = (hash: string, seed: number, replicates: number): string =>
  `run-sharded-${sha256Hex(`${hash}|${seed}|${replicates}|${VERSION}`).slice(0, 12)}`

/** Records the run's shard, or refuses a store that holds another shard of it. */
const recordShard = (run: StoredRun, shard: Shard) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const stored = yield* store.loadShard(run.id)
    if (Option.isNone(stored)) return yield* store.saveShard(run.id, shard)
    if (stored.value.index !== shard.index || stored.value.count !== shard.count) {
      return yield* new ShardError({
        reason: "Mismatch",
        message: `this store holds shard ${formatShard(stored.value)} of run ${run.id}, not ${formatShard(shard)}: give every shard its own --db`
      })
    }
  })

/**
 * A shard of a run split across machines: phases 1 to 3 of `runAudit` (open, check, measure)
 * over this shard's cells only, into its own store; deriving and summarizing wait for
 * `mergeShards`. The shard is marked finished once all its cells are measured. Every shard
 * runs the manipulation checks and the grader battery itself (they are seeded, and cheap
 * next to the cells), so each plans alike without talking to the others.
 */
export const runShard = (audit: ResolvedAudit, options: RunOptions & { readonly shard: Shard }) =>
  Effect.gen(function* () {
    const providers = Option.getOrElse(yield* Effect.serviceOption(Providers), () => new Map<string, ProviderEntry>())
    return yield* Effect.gen(function* () {
      const store = yield* AuditStore
      const replicates = options.replicates ?? audit.replicates
      const runId = options.runId ?? shardRunId(yield* specHash(audit), options.seed ?? audit.seed, replicates)
      const { run, resumed } = yield* openRun(audit, { ...options, runId })
      yield* recordShard(run, options.shard)
      const { checks, problems } = yield* checkRun(audit, run)
      const include = shardCells(audit, run.replicates, options.shard)
      const measured = yield* measureRun(audit, run, checks, { ...options, include })
      const complete = problems.length === 0 && (yield* store.finishedCells(run.id)).size === measured.cellsPlanned
      if (complete && run.finishedAt === null) yield* store.finishRun(run.id, yield* isoNow)
      return {
        run,
        shard: options.shard,
        resumed,
        cellsPlanned: measured.cellsPlanned,
        cellsRun: measured.cellsRun,
        cellsSkipped: measured.cellsSkipped,
        complete,
        problems
      } satisfies ShardReport
    }).pipe(Effect.provideService(Providers, providers))
  })
