import { Effect, Option, Schema } from "effect"
import { ResolvedAudit } from "../domain/audit.js"
import type { ManipulationCheck } from "../domain/run.js"
import { formatShard, type Shard, ShardError } from "../domain/shard.js"
import { StoreError } from "../domain/store-error.js"
import type { GraderScore, Summary } from "../domain/summary.js"
import { planCells } from "../measure/plan.js"
import { AuditStore, cellKey, layerSqlite, type StoredRun } from "../store/audit-store.js"
import { isoNow } from "./phases/1-open-run.js"
import { deriveRun } from "./phases/4-derive.js"
import { measuredOrganisms } from "./phases/3-measure.js"
import { summarizeRun } from "./phases/5-summarize.js"

/** What one shard store holds for the merge: its run and shard, checks, grader results and cell keys. */
export interface ShardStore {
  readonly file: string
  readonly run: StoredRun
  readonly shard: Shard
  readonly checks: ReadonlyArray<ManipulationCheck>
  readonly graders: ReadonlyArray<GraderScore>
  readonly cells: ReadonlyArray<string>
}

export interface MergeReport {
  readonly run: StoredRun
  readonly summary: Summary
  /** Shards no store holds. */
  readonly missing: ReadonlyArray<Shard>
  /** Shards whose store is not finished (resume them, then merge again into a new store). */
  readonly unfinished: ReadonlyArray<{ readonly file: string; readonly shard: Shard }>
  /** Why the merged run is incomplete besides those (a prompted organism no shard checked). */
  readonly problems: ReadonlyArray<string>
}

const decodeStoredAudit = Schema.decodeUnknown(Schema.parseJson(ResolvedAudit))

const mismatch = (message: string) => new ShardError({ reason: "Mismatch", message })
const named = (s: ShardStore) => `${s.file} (shard ${formatShard(s.shard)})`

/** Reads the shard run of one store: the one named `runId`, or the only shard run it holds. */
const readShardStore = (file: string, runId: string | undefined) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const runs = yield* store.listRuns()
    const shardRuns: Array<{ readonly id: string; readonly shard: Shard }> = []
    for (const listed of runs) {
      if (runId !== undefined && listed.id !== runId) continue
      const shard = yield* store.loadShard(listed.id)
      if (Option.isSome(shard)) shardRuns.push({ id: listed.id, shard: shard.value })
    }
    const only = shardRuns[0]
    if (only === undefined) {
      return yield* new ShardError({
        reason: "NoShardRun",
        message: `${file} holds no shard run${runId === undefined ? "" : ` with id ${runId}`} (made by run --shard i/n)`
      })
    }
    if (shardRuns.length > 1) {
      return yield* new ShardError({ reason: "NoShardRun", message: `${file} holds several shard runs (${shardRuns.map((r) => r.id).join(", ")}): choose one with --run-id` })
    }
    const run = yield* store.findRun(only.id)
    if (Option.isNone(run)) return yield* new StoreError({ reason: "Corrupt", message: `${file}: run ${only.id} is listed but cannot be read` })
    return {
      file,
      run: run.value,
      shard: only.shard,
      checks: yield* store.loadChecks(only.id),
      graders: yield* store.loadGraderChecks(only.id),
      cells: (yield* store.loadCells(only.id)).map((c) => cellKey(c.evaluation, c.organism, c.replicate))
    } satisfies ShardStore
  }).pipe(Effect.provide(layerSqlite(file, { mustExist: true })))

/** Every store must agree on what makes a shard part of the same run; the message names each store's value. */
const agree = (stores: ReadonlyArray<ShardStore>, what: string, value: (s: ShardStore) => string | number) => {
  const values = new Set(stores.map(value))
  return values.size <= 1 ? Effect.void : Effect.fail(mismatch(`the shard stores disagree on the ${what}: ${stores.map((s) => `${named(s)} has ${value(s)}`).join(", ")}`))
}

/** Refuses two stores of one shard, and any cell held by two stores. */
const disjoint = (stores: ReadonlyArray<ShardStore>) =>
  Effect.gen(function* () {
    const byIndex = new Map<number, ShardStore>()
    for (const s of stores) {
      const other = byIndex.get(s.shard.index)
      if (other !== undefined) return yield* new ShardError({ reason: "Overlap", message: `${other.file} and ${s.file} both hold shard ${formatShard(s.shard)}` })
      byIndex.set(s.shard.index, s)
    }
    const owner = new Map<string, ShardStore>()
    const overlaps: Array<string> = []
    for (const s of stores) {
      for (const cell of s.cells) {
        const other = owner.get(cell)
        if (other === undefined) owner.set(cell, s)
        else overlaps.push(`${cell} (${other.file} and ${s.file})`)
      }
    }
    if (overlaps.length > 0) {
      const shown = overlaps.slice(0, 3).join(", ")
      return yield* new ShardError({ reason: "Overlap", message: `${overlaps.length} cell(s) are in more than one store: ${shown}${overlaps.length > 3 ? ", ..." : ""}` })
    }
  })

/** One check per organism; two stores that reached different verdicts on one organism cannot be merged. */
const unionChecks = (stores: ReadonlyArray<ShardStore>) =>
  Effect.gen(function* () {
    const checks = new Map<string, { readonly check: ManipulationCheck; readonly from: ShardStore }>()
    for (const s of stores) {
      for (const check of s.checks) {
        const seen = checks.get(check.organism)
        if (seen === undefined) checks.set(check.organism, { check, from: s })
        else if (seen.check.passed !== check.passed) {
          const verdict = (passed: boolean) => (passed ? "passed" : "failed")
          return yield* mismatch(
            `organism ${check.organism} ${verdict(seen.check.passed)} its manipulation check in ${named(seen.from)} but ${verdict(check.passed)} in ${named(s)}`
          )
        }
      }
    }
    return [...checks.values()].map((c) => c.check)
  })

/** Shard stores read and found mergeable: what `mergeShards` writes. */
export interface ShardSet {
  /** By shard index. */
  readonly stores: ReadonlyArray<ShardStore>
  readonly checks: ReadonlyArray<ManipulationCheck>
}

/**
 * Reads shard stores (made by `run --shard i/n`) and refuses, before anything is written,
 * stores from different specs, seeds, replicates, engine versions or shard counts, two
 * stores of one shard or one cell, and stores that disagree on a manipulation check.
 */
export const readShards = (files: ReadonlyArray<string>, runId: string | undefined) =>
  Effect.gen(function* () {
    const stores = [...(yield* Effect.forEach(files, (file) => readShardStore(file, runId)))].sort((a, b) => a.shard.index - b.shard.index)
    if (stores.length === 0) return yield* new ShardError({ reason: "NoShardRun", message: "no shard stores to merge" })
    yield* agree(stores, "spec (hash)", (s) => s.run.specHash)
    yield* agree(stores, "seed", (s) => s.run.seed)
    yield* agree(stores, "replicates", (s) => s.run.replicates)
    yield* agree(stores, "engine version", (s) => s.run.version)
    yield* agree(stores, "shard count", (s) => s.shard.count)
    yield* disjoint(stores)
    return { stores, checks: yield* unionChecks(stores) } satisfies ShardSet
  })

/**
 * Merges read shard stores into one run of the current store, under the run id of the
 * lowest shard, then derives and summarizes it as a single run would (phases 4 and 5).
 * Missing or unfinished shards are merged as they are and reported: the merged run is then
 * incomplete, as an interrupted run is.
 */
export const mergeShards = <A, E, R>({ stores, checks }: ShardSet, command: string, publish: (summary: Summary) => Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const first = stores[0]
    if (first === undefined) return yield* new ShardError({ reason: "NoShardRun", message: "no shard stores to merge" })
    const store = yield* AuditStore
    if (Option.isSome(yield* store.findRun(first.run.id))) {
      return yield* mismatch(`the merged store already holds run ${first.run.id}: merge into a new --db`)
    }
    const audit = yield* decodeStoredAudit(first.run.specJson).pipe(
      Effect.mapError((e) => new StoreError({ reason: "Corrupt", message: `stored spec of ${first.run.id} in ${first.file}: ${e.message}` }))
    )
    const run: StoredRun = {
      ...first.run,
      command,
      startedAt: stores.map((s) => s.run.startedAt).reduce((a, b) => (b < a ? b : a)),
      finishedAt: null
    }
    yield* store.createRun(run)
    yield* store.saveChecks(run.id, checks)
    const graders = stores.find((s) => s.graders.length > 0)?.graders ?? []
    if (graders.length > 0) yield* store.saveGraderChecks(run.id, graders)
    for (const s of stores) yield* store.importCells(s.file, s.run.id, run.id)

    const checked = new Set(checks.map((c) => c.organism))
    const unchecked = [...audit.organisms, ...(audit.heldOut?.organisms ?? []), ...audit.promptedOrganisms].filter((o) => !checked.has(o.id))
    const cellsPlanned = planCells(audit.evaluations, measuredOrganisms(audit, checks), run.replicates, () => false).pending.length
    // As a single run: marked finished only once its outputs are written (see runAuditPublishing).
    const complete = yield* deriveRun(audit, run, checks, { cellsPlanned, checksUndone: unchecked.length })
    const finishing = complete ? yield* isoNow : undefined
    const { summary, run: stored } = yield* summarizeRun(run.id, finishing === undefined ? {} : { finishingAt: finishing })
    const published = yield* publish(summary)
    if (finishing !== undefined) yield* store.finishRun(run.id, finishing)

    const present = new Set(stores.map((s) => s.shard.index))
    const count = first.shard.count
    return {
      run: stored,
      summary,
      published,
      missing: Array.from({ length: count }, (_, i) => ({ index: i + 1, count })).filter((s) => !present.has(s.index)),
      unfinished: stores.filter((s) => s.run.finishedAt === null).map((s) => ({ file: s.file, shard: s.shard })),
      problems: unchecked.map((o) => `no shard ran the manipulation check of ${o.id}; it was not measured`)
    } satisfies MergeReport & { readonly published: A }
  })
