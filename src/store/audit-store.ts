import Database from "better-sqlite3"
import type { ManipulationCheck, RunRecord, SampleScore } from "../domain/run.js"
import { Clock, Context, Effect, Layer, Option, Schema } from "effect"
import { existsSync, mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { CellResult, type SampleResult, type TriggerResult } from "../domain/outcome.js"
import { LayerCheckJson, type GraderScore } from "../domain/summary.js"
import { PropertyResult } from "../domain/property-result.js"
import { migrations } from "./migrations.js"
import { StoreError } from "../domain/store-error.js"

export interface StoredRun extends RunRecord {
  readonly specJson: string
  readonly command: string
}

export interface RunListing {
  readonly id: string
  readonly audit: string
  readonly seed: number
  readonly replicates: number
  readonly specHash: string
  readonly startedAt: string
  readonly finishedAt: string | null
  readonly cells: number
  readonly errors: number
}

export interface CellWithSamples {
  readonly result: CellResult
  readonly samples: ReadonlyArray<SampleResult>
}

/** Where results live. Every method is one transaction: a crash loses at most the batch in flight. */
export interface AuditStoreShape {
  readonly createRun: (run: StoredRun) => Effect.Effect<void, StoreError>
  readonly findRun: (id: string) => Effect.Effect<Option.Option<StoredRun>, StoreError>
  readonly listRuns: () => Effect.Effect<ReadonlyArray<RunListing>, StoreError>
  /** Keys (`evaluation/organism/replicate`) of cells already measured; errored cells are not finished. */
  readonly finishedCells: (runId: string) => Effect.Effect<ReadonlySet<string>, StoreError>
  readonly saveCells: (runId: string, cells: ReadonlyArray<CellWithSamples>) => Effect.Effect<void, StoreError>
  readonly loadCells: (runId: string) => Effect.Effect<ReadonlyArray<CellResult>, StoreError>
  readonly saveChecks: (runId: string, checks: ReadonlyArray<ManipulationCheck>) => Effect.Effect<void, StoreError>
  readonly loadChecks: (runId: string) => Effect.Effect<ReadonlyArray<ManipulationCheck>, StoreError>
  /** Replaces the run's trigger results (kept for SQL queries; summaries recompute them from cells). */
  readonly saveTriggerResults: (runId: string, results: ReadonlyArray<TriggerResult>) => Effect.Effect<void, StoreError>
  readonly finishRun: (runId: string, finishedAt: string) => Effect.Effect<void, StoreError>
  /** Property-battery results per grader, under a run id (or the id of a `graders` check). */
  readonly saveGraderChecks: (runId: string, graders: ReadonlyArray<GraderScore>) => Effect.Effect<void, StoreError>
  readonly loadGraderChecks: (runId: string) => Effect.Effect<ReadonlyArray<GraderScore>, StoreError>
  /** Model responses by request key (provider, model and request; never an API key), shared by every run in the file. */
  readonly cacheGet: (key: string) => Effect.Effect<Option.Option<string>, StoreError>
  readonly cachePut: (key: string, responseJson: string) => Effect.Effect<void, StoreError>
  /** Per-sample scores (mean over epochs) of the given evaluations, for paired comparisons. */
  readonly loadSampleScores: (runId: string, evaluations: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<SampleScore>, StoreError>
}

export class AuditStore extends Context.Tag("evalaudit/AuditStore")<AuditStore, AuditStoreShape>() {}

export const cellKey = (evaluation: string, organism: string, replicate: number): string =>
  `${evaluation}/${organism}/${replicate}`

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const RunRow = Schema.Struct({
  id: Schema.String,
  audit: Schema.String,
  source: Schema.String,
  version: Schema.String,
  seed: Schema.Number,
  replicates: Schema.Number,
  spec_hash: Schema.String,
  spec_json: Schema.String,
  command: Schema.String,
  started_at: Schema.String,
  finished_at: Schema.NullOr(Schema.String)
})

const ListingRow = Schema.Struct({
  id: Schema.String,
  audit: Schema.String,
  seed: Schema.Number,
  replicates: Schema.Number,
  spec_hash: Schema.String,
  started_at: Schema.String,
  finished_at: Schema.NullOr(Schema.String),
  cells: Schema.Number,
  errors: Schema.Number
})

const SampleScoreRow = Schema.Struct({
  evaluation: Schema.String,
  organism: Schema.String,
  replicate: Schema.Number,
  sample: Schema.String,
  score: Schema.Number
})

const CellRow = Schema.Struct({
  evaluation: Schema.String,
  organism: Schema.String,
  replicate: Schema.Number,
  status: Schema.Literal("measured", "error"),
  k: Schema.NullOr(Schema.Number),
  n: Schema.NullOr(Schema.Number),
  measured: Schema.NullOr(Schema.Number),
  truth: Schema.NullOr(Schema.Number),
  should_fire: Schema.NullOr(Schema.Number),
  did_fire: Schema.NullOr(Schema.Number),
  outcome: Schema.NullOr(Schema.String),
  error: Schema.NullOr(Schema.String),
  standard_error: Schema.NullOr(Schema.Number),
  clustered_standard_error: Schema.NullOr(Schema.Number),
  sequential_verdict: Schema.NullOr(Schema.String)
})

const GraderRow = Schema.Struct({
  grader: Schema.String,
  evaluations_json: Schema.parseJson(Schema.Array(Schema.String)),
  passed: Schema.Number,
  properties_json: Schema.parseJson(Schema.Array(PropertyResult))
})

const CheckRow = Schema.Struct({
  organism: Schema.String,
  passed: Schema.Number,
  detail_json: Schema.parseJson(Schema.Array(LayerCheckJson))
})

const decodeRows = <A, I>(schema: Schema.Schema<A, I>, what: string) => (rows: ReadonlyArray<unknown>) =>
  Schema.decodeUnknown(Schema.Array(schema))(rows).pipe(
    Effect.mapError((e) => new StoreError({ reason: "Corrupt", message: `${what}: ${e.message}` }))
  )

const decodeCell = Schema.decodeUnknown(CellResult)

const corrupt = (what: string) => (e: { readonly message: string }) =>
  new StoreError({ reason: "Corrupt", message: `${what}: ${e.message}` })

const bool = (x: number | null): boolean => x === 1

/** Opens (creating if needed) a store file, in WAL mode, migrated to the latest schema. */
const open = (file: string, mustExist: boolean): Effect.Effect<Database.Database, StoreError> =>
  Effect.suspend(() =>
    mustExist && file !== ":memory:" && !existsSync(file)
      ? Effect.fail(new StoreError({ reason: "NotFound", message: `no store at ${file} (give the file with --db)` }))
      : Effect.void
  ).pipe(Effect.zipRight(Effect.try({
    try: () => {
      if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true })
      const db = new Database(file)
      db.pragma("journal_mode = WAL")
      db.pragma("synchronous = NORMAL")
      db.pragma("foreign_keys = ON")
      db.pragma("busy_timeout = 5000")
      return db
    },
    catch: (e) => new StoreError({ reason: "Open", message: `cannot open store ${file}: ${message(e)}` })
  }))).pipe(
    Effect.tap((db) =>
      Effect.try({
        try: () => {
          db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
          const applied = new Set(db.prepare("SELECT version FROM schema_migrations").pluck().all())
          for (const migration of migrations) {
            if (applied.has(migration.version)) continue
            db.transaction(() => {
              db.exec(migration.sql)
              db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
                migration.version,
                migration.name,
                new Date().toISOString()
              )
            })()
          }
        },
        catch: (e) => new StoreError({ reason: "Migrate", message: `cannot migrate store ${file}: ${message(e)}` })
      })
    )
  )

const make = (db: Database.Database): AuditStoreShape => {
  const query = <A>(what: string, f: () => A): Effect.Effect<A, StoreError> =>
    Effect.try({ try: f, catch: (e) => new StoreError({ reason: "Query", message: `${what}: ${message(e)}` }) })

  const insertRun = db.prepare(
    `INSERT INTO runs (id, audit, source, version, seed, replicates, spec_hash, spec_json, command, started_at, finished_at)
     VALUES (@id, @audit, @source, @version, @seed, @replicates, @specHash, @specJson, @command, @startedAt, @finishedAt)`
  )
  const insertCell = db.prepare(
    `INSERT OR REPLACE INTO cells (run_id, evaluation, organism, replicate, status, k, n, measured, truth, should_fire, did_fire, outcome, error,
                                   standard_error, clustered_standard_error, sequential_verdict)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const deleteResponses = db.prepare("DELETE FROM responses WHERE run_id = ? AND evaluation = ? AND organism = ? AND replicate = ?")
  const insertResponse = db.prepare(
    `INSERT INTO responses (run_id, evaluation, organism, replicate, sample, epoch, response, score, explanation)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const insertTrigger = db.prepare(
    `INSERT INTO trigger_results (run_id, trigger, organism, replicate, status, should_fire, did_fire, outcome, error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const insertCheck = db.prepare(
    "INSERT OR REPLACE INTO manipulation_checks (run_id, organism, passed, detail_json) VALUES (?, ?, ?, ?)"
  )

  const writeCells = db.transaction((runId: string, cells: ReadonlyArray<CellWithSamples>) => {
    for (const { result: c, samples } of cells) {
      if (c._tag === "Measured") {
        insertCell.run(runId, c.evaluation, c.organism, c.replicate, "measured", c.k, c.n, c.measured, c.truth, c.shouldFire ? 1 : 0, c.didFire ? 1 : 0, c.outcome, null,
          c.standardError ?? null, c.clusteredStandardError ?? null, c.sequentialVerdict ?? null)
      } else {
        insertCell.run(runId, c.evaluation, c.organism, c.replicate, "error", null, null, null, null, null, null, null, c.reason, null, null, null)
      }
      deleteResponses.run(runId, c.evaluation, c.organism, c.replicate)
      for (const s of samples) {
        insertResponse.run(runId, c.evaluation, c.organism, c.replicate, s.sample, s.epoch, s.response, s.score, s.explanation)
      }
    }
  })

  const writeTriggers = db.transaction((runId: string, results: ReadonlyArray<TriggerResult>) => {
    db.prepare("DELETE FROM trigger_results WHERE run_id = ?").run(runId)
    for (const t of results) {
      if (t._tag === "Decided") {
        insertTrigger.run(runId, t.trigger, t.organism, t.replicate, "decided", t.shouldFire ? 1 : 0, t.didFire ? 1 : 0, t.outcome, null)
      } else {
        insertTrigger.run(runId, t.trigger, t.organism, t.replicate, "error", null, null, null, t.reason)
      }
    }
  })

  const insertGrader = db.prepare(
    "INSERT OR REPLACE INTO grader_checks (run_id, grader, evaluations_json, passed, properties_json) VALUES (?, ?, ?, ?, ?)"
  )
  const writeGraders = db.transaction((runId: string, graders: ReadonlyArray<GraderScore>) => {
    for (const g of graders) insertGrader.run(runId, g.grader, JSON.stringify(g.evaluations), g.passed ? 1 : 0, JSON.stringify(g.properties))
  })

  const writeChecks = db.transaction((runId: string, checks: ReadonlyArray<ManipulationCheck>) => {
    for (const c of checks) insertCheck.run(runId, c.organism, c.passed ? 1 : 0, JSON.stringify(c.layers))
  })

  return {
    createRun: (run) => query("create run", () => void insertRun.run(run)),
    findRun: (id) =>
      query("find run", () => db.prepare("SELECT * FROM runs WHERE id = ?").all(id)).pipe(
        Effect.flatMap(decodeRows(RunRow, `run ${id}`)),
        Effect.map((rows) =>
          Option.fromNullable(rows[0]).pipe(
            Option.map((r): StoredRun => ({
              id: r.id,
              audit: r.audit,
              source: r.source,
              version: r.version,
              seed: r.seed,
              replicates: r.replicates,
              specHash: r.spec_hash,
              specJson: r.spec_json,
              command: r.command,
              startedAt: r.started_at,
              finishedAt: r.finished_at
            }))
          )
        )
      ),
    listRuns: () =>
      query("list runs", () =>
        db.prepare(
          `SELECT r.id, r.audit, r.seed, r.replicates, r.spec_hash, r.started_at, r.finished_at,
                  (SELECT count(*) FROM cells c WHERE c.run_id = r.id) AS cells,
                  (SELECT count(*) FROM cells c WHERE c.run_id = r.id AND c.status = 'error') AS errors
           FROM runs r ORDER BY r.started_at, r.id`
        ).all()
      ).pipe(
        Effect.flatMap(decodeRows(ListingRow, "runs")),
        Effect.map((rows) =>
          rows.map((r) => ({
            id: r.id,
            audit: r.audit,
            seed: r.seed,
            replicates: r.replicates,
            specHash: r.spec_hash,
            startedAt: r.started_at,
            finishedAt: r.finished_at,
            cells: r.cells,
            errors: r.errors
          }))
        )
      ),
    finishedCells: (runId) =>
      query("finished cells", () =>
        db.prepare("SELECT evaluation, organism, replicate FROM cells WHERE run_id = ? AND status = 'measured'").all(runId)
      ).pipe(
        Effect.flatMap(decodeRows(Schema.Struct({ evaluation: Schema.String, organism: Schema.String, replicate: Schema.Number }), "cells")),
        Effect.map((rows) => new Set(rows.map((r) => cellKey(r.evaluation, r.organism, r.replicate))))
      ),
    saveCells: (runId, cells) => query("save cells", () => writeCells(runId, cells)),
    loadCells: (runId) =>
      query("load cells", () =>
        db.prepare("SELECT * FROM cells WHERE run_id = ? ORDER BY evaluation, organism, replicate").all(runId)
      ).pipe(
        Effect.flatMap(decodeRows(CellRow, "cells")),
        Effect.flatMap((rows) =>
          Effect.forEach(rows, (r) =>
            decodeCell(
              r.status === "measured"
                ? {
                  _tag: "Measured", evaluation: r.evaluation, organism: r.organism, replicate: r.replicate, k: r.k, n: r.n, measured: r.measured, truth: r.truth,
                  shouldFire: bool(r.should_fire), didFire: bool(r.did_fire), outcome: r.outcome,
                  ...(r.standard_error === null ? {} : { standardError: r.standard_error }),
                  ...(r.clustered_standard_error === null ? {} : { clusteredStandardError: r.clustered_standard_error }),
                  ...(r.sequential_verdict === null ? {} : { sequentialVerdict: r.sequential_verdict })
                }
                : { _tag: "Errored", evaluation: r.evaluation, organism: r.organism, replicate: r.replicate, reason: r.error ?? "unknown error" }
            ).pipe(Effect.mapError(corrupt(`cell ${cellKey(r.evaluation, r.organism, r.replicate)}`)))
          )
        )
      ),
    saveChecks: (runId, checks) => query("save manipulation checks", () => writeChecks(runId, checks)),
    loadChecks: (runId) =>
      query("load manipulation checks", () =>
        db.prepare("SELECT organism, passed, detail_json FROM manipulation_checks WHERE run_id = ? ORDER BY organism").all(runId)
      ).pipe(
        Effect.flatMap(decodeRows(CheckRow, "manipulation checks")),
        Effect.map((rows) => rows.map((r) => ({ organism: r.organism, passed: r.passed === 1, layers: r.detail_json })))
      ),
    saveTriggerResults: (runId, results) => query("save trigger results", () => writeTriggers(runId, results)),
    finishRun: (runId, finishedAt) =>
      query("finish run", () => void db.prepare("UPDATE runs SET finished_at = ? WHERE id = ?").run(finishedAt, runId)),
    saveGraderChecks: (runId, graders) => query("save grader checks", () => writeGraders(runId, graders)),
    loadGraderChecks: (runId) =>
      query("load grader checks", () =>
        db.prepare("SELECT grader, evaluations_json, passed, properties_json FROM grader_checks WHERE run_id = ? ORDER BY grader").all(runId)
      ).pipe(
        Effect.flatMap(decodeRows(GraderRow, "grader checks")),
        Effect.map((rows) =>
          rows.map((r) => ({ grader: r.grader, evaluations: r.evaluations_json, passed: r.passed === 1, properties: r.properties_json }))
        )
      ),
    cacheGet: (key) =>
      query("read response cache", () => db.prepare("SELECT response_json FROM response_cache WHERE key = ?").get(key)).pipe(
        Effect.map((row) =>
          typeof row === "object" && row !== null && "response_json" in row && typeof row.response_json === "string"
            ? Option.some(row.response_json)
            : Option.none()
        )
      ),
    cachePut: (key, responseJson) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        query("write response cache", () =>
          void db
            .prepare("INSERT OR REPLACE INTO response_cache (key, response_json, created_at) VALUES (?, ?, ?)")
            .run(key, responseJson, new Date(now).toISOString())
        )
      ),
    loadSampleScores: (runId, evaluations) =>
      evaluations.length === 0
        ? Effect.succeed([])
        : query("load sample scores", () =>
          db
            .prepare(
              `SELECT evaluation, organism, replicate, sample, AVG(score) AS score FROM responses
               WHERE run_id = ? AND evaluation IN (${evaluations.map(() => "?").join(", ")})
               GROUP BY evaluation, organism, replicate, sample`
            )
            .all(runId, ...evaluations)
        ).pipe(Effect.flatMap(decodeRows(SampleScoreRow, "sample scores")))
  }
}

/**
 * The SQLite store at `file` (":memory:" for tests), closed when the layer's scope ends.
 * With `mustExist`, a missing file is an error instead of a new empty store (for commands
 * that only read).
 */
export const layerSqlite = (file: string, options: { readonly mustExist?: boolean } = {}): Layer.Layer<AuditStore, StoreError> =>
  Layer.scoped(
    AuditStore,
    Effect.acquireRelease(open(file, options.mustExist ?? false), (db) => Effect.sync(() => db.close())).pipe(Effect.map(make))
  )
