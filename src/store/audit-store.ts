import Database from "better-sqlite3"
import { Clock, Context, Effect, Layer, Option } from "effect"
import { existsSync, mkdirSync } from "node:fs"
import { dirname } from "node:path"
import type { CellResult, SampleResult, TriggerResult } from "../domain/outcome.js"
import type { ManipulationCheck, RunRecord, SampleScore } from "../domain/run.js"
import type { SearchScore } from "../domain/search-settings.js"
import type { ServedRequest, ServeSession } from "../domain/serve.js"
import { StoreError } from "../domain/store-error.js"
import type { GraderScore } from "../domain/summary.js"
import { migrations } from "./migrations.js"
import {
  CacheRow,
  CellKeyRow,
  CellRow,
  Cells,
  CheckRow,
  decodeRows,
  Derived,
  encodeRows,
  GraderChecks,
  GraderRow,
  ListingRow,
  ManipulationChecks,
  ResponseRow,
  Responses,
  RunRow,
  Runs,
  SampleRow,
  SampleScoreRow,
  SearchRow,
  ServedRequests,
  ServedRow,
  ServeSessionRow,
  ServeSessions,
  type Row,
  type Table,
  TriggerResults,
  TriggerRow
} from "./rows.js"

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

/** One cell: an evaluation run against an organism in a replicate. */
export interface CellKey {
  readonly evaluation: string
  readonly organism: string
  readonly replicate: number
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
  /** The graded responses of one cell, by sample id (code-point order) then epoch; empty for an errored or unknown cell. */
  readonly loadResponses: (runId: string, cell: CellKey) => Effect.Effect<ReadonlyArray<SampleResult>, StoreError>
  readonly saveChecks: (runId: string, checks: ReadonlyArray<ManipulationCheck>) => Effect.Effect<void, StoreError>
  readonly loadChecks: (runId: string) => Effect.Effect<ReadonlyArray<ManipulationCheck>, StoreError>
  /** Replaces the run's trigger results (kept for SQL queries; summaries recompute them from cells). */
  readonly saveTriggerResults: (runId: string, results: ReadonlyArray<TriggerResult>) => Effect.Effect<void, StoreError>
  readonly loadTriggerResults: (runId: string) => Effect.Effect<ReadonlyArray<TriggerResult>, StoreError>
  /** The adversarial search's result, derived once per run (phase 4). */
  readonly saveSearch: (runId: string, search: SearchScore) => Effect.Effect<void, StoreError>
  /** None for a run stored before phase 4 derived it (an older store, an interrupted run, an audit without a search). */
  readonly loadSearch: (runId: string) => Effect.Effect<Option.Option<SearchScore>, StoreError>
  readonly finishRun: (runId: string, finishedAt: string) => Effect.Effect<void, StoreError>
  /** Property-battery results per grader, under a run id (or the id of a `graders` check). */
  readonly saveGraderChecks: (runId: string, graders: ReadonlyArray<GraderScore>) => Effect.Effect<void, StoreError>
  readonly loadGraderChecks: (runId: string) => Effect.Effect<ReadonlyArray<GraderScore>, StoreError>
  /** Model responses by request key (provider, model and request; never an API key), shared by every run in the file. */
  readonly cacheGet: (key: string) => Effect.Effect<Option.Option<string>, StoreError>
  readonly cachePut: (key: string, responseJson: string) => Effect.Effect<void, StoreError>
  /** Per-sample scores (mean over epochs) of the given evaluations, for paired comparisons. */
  readonly loadSampleScores: (runId: string, evaluations: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<SampleScore>, StoreError>
  /** A session of `evalaudit serve`, and the requests it answered (saved in batches, one transaction each). */
  readonly createServeSession: (session: ServeSession) => Effect.Effect<void, StoreError>
  readonly finishServeSession: (id: string, finishedAt: string) => Effect.Effect<void, StoreError>
  readonly saveServed: (requests: ReadonlyArray<ServedRequest>) => Effect.Effect<void, StoreError>
  readonly listServeSessions: () => Effect.Effect<ReadonlyArray<ServeSession>, StoreError>
  /** A session's requests in arrival order. */
  readonly loadServed: (sessionId: string) => Effect.Effect<ReadonlyArray<ServedRequest>, StoreError>
}

export class AuditStore extends Context.Tag("evalaudit/AuditStore")<AuditStore, AuditStoreShape>() {}

export const cellKey = (evaluation: string, organism: string, replicate: number): string =>
  `${evaluation}/${organism}/${replicate}`

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

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

  /** Rows read by `sql` with positional `params`. */
  const select = (what: string, sql: string, ...params: ReadonlyArray<string | number>) =>
    query(what, () => db.prepare(sql).all(...params))

  /**
   * Writes encoded rows of `table` under a run id (unless the table is `runs` itself). The
   * statement names every column the schema knows, bound by position in that order (named
   * binding costs twice as much on a batch of thousands of responses); a column the row
   * leaves out (an absent optional value, the other variant's columns) is NULL.
   */
  const writer = <A, I extends Row>(verb: "INSERT" | "INSERT OR REPLACE", table: Table<A, I>) => {
    const columns = table.perRun ? ["run_id", ...table.columns] : table.columns
    const statement = db.prepare(`${verb} INTO ${table.name} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
    return (runId: string, rows: ReadonlyArray<I>) => {
      for (const row of rows) {
        const values: Array<unknown> = table.perRun ? [runId] : []
        for (const c of table.columns) values.push(row[c] ?? null)
        statement.run(...values)
      }
    }
  }
  /** Encodes `values` first (nothing is written if one fails), then writes them in one transaction after `before`. */
  const save = <A, I extends Row>(what: string, write: (runId: string, rows: ReadonlyArray<I>) => void, table: Table<A, I>) =>
    (runId: string, values: ReadonlyArray<A>, before: () => void = () => {}) =>
      encodeRows(table)(values).pipe(
        Effect.flatMap((rows) => query(what, () => db.transaction(() => {
          before()
          write(runId, rows)
        })()))
      )

  const writeRun = save("create run", writer("INSERT", Runs), Runs)
  const writeCells = save("save cells", writer("INSERT OR REPLACE", Cells), Cells)
  const writeResponses = writer("INSERT OR REPLACE", Responses)
  const deleteResponses = db.prepare("DELETE FROM responses WHERE run_id = ? AND evaluation = ? AND organism = ? AND replicate = ?")
  const writeChecks = save("save manipulation checks", writer("INSERT OR REPLACE", ManipulationChecks), ManipulationChecks)
  const writeTriggers = save("save trigger results", writer("INSERT", TriggerResults), TriggerResults)
  const writeDerived = save("save derived results", writer("INSERT OR REPLACE", Derived), Derived)
  const writeGraders = save("save grader checks", writer("INSERT OR REPLACE", GraderChecks), GraderChecks)
  const writeSession = save("create serve session", writer("INSERT", ServeSessions), ServeSessions)
  const writeServed = save("save served requests", writer("INSERT", ServedRequests), ServedRequests)

  return {
    createRun: (run) => writeRun(run.id, [run]),
    findRun: (id) =>
      select("find run", "SELECT * FROM runs WHERE id = ?", id).pipe(
        Effect.flatMap(decodeRows(Runs.name, RunRow)),
        Effect.map((found) => Option.fromNullable(found[0]))
      ),
    listRuns: () =>
      select(
        "list runs",
        `SELECT r.id, r.audit, r.seed, r.replicates, r.spec_hash, r.started_at, r.finished_at,
                (SELECT count(*) FROM cells c WHERE c.run_id = r.id) AS cells,
                (SELECT count(*) FROM cells c WHERE c.run_id = r.id AND c.status = 'error') AS errors
         FROM runs r ORDER BY r.started_at, r.id`
      ).pipe(Effect.flatMap(decodeRows("runs", ListingRow))),
    finishedCells: (runId) =>
      select("finished cells", "SELECT evaluation, organism, replicate FROM cells WHERE run_id = ? AND status = 'measured'", runId).pipe(
        Effect.flatMap(decodeRows("cells", CellKeyRow)),
        Effect.map((keys) => new Set(keys.map((r) => cellKey(r.evaluation, r.organism, r.replicate))))
      ),
    saveCells: (runId, cells) => {
      // Responses skip the runtime encode: their schema transforms nothing, so the compiler
      // already checks these rows against its encoded type, and validating thousands of
      // rows per batch doubled the cost of saving a batch.
      const responses = cells.flatMap(({ result: { evaluation, organism, replicate }, samples }) =>
        samples.map((s): typeof ResponseRow.Encoded => ({
          evaluation,
          organism,
          replicate,
          sample: s.sample,
          epoch: s.epoch,
          response: s.response,
          score: s.score,
          explanation: s.explanation
        }))
      )
      return writeCells(runId, cells.map((c) => c.result), () => {
        // A re-measured cell replaces its responses, never adds to them.
        for (const { result: c } of cells) deleteResponses.run(runId, c.evaluation, c.organism, c.replicate)
        writeResponses(runId, responses)
      })
    },
    loadCells: (runId) =>
      select("load cells", "SELECT * FROM cells WHERE run_id = ? ORDER BY evaluation, organism, replicate", runId).pipe(
        Effect.flatMap(decodeRows(Cells.name, CellRow))
      ),
    loadResponses: (runId, { evaluation, organism, replicate }) =>
      select(
        "load responses",
        `SELECT sample, epoch, response, score, explanation FROM responses
         WHERE run_id = ? AND evaluation = ? AND organism = ? AND replicate = ? ORDER BY sample, epoch`,
        runId,
        evaluation,
        organism,
        replicate
      ).pipe(Effect.flatMap(decodeRows("responses", SampleRow))),
    saveChecks: (runId, checks) => writeChecks(runId, checks),
    loadChecks: (runId) =>
      select("load manipulation checks", "SELECT organism, passed, detail_json, truth_json FROM manipulation_checks WHERE run_id = ? ORDER BY organism", runId).pipe(
        Effect.flatMap(decodeRows(ManipulationChecks.name, CheckRow))
      ),
    saveTriggerResults: (runId, results) =>
      writeTriggers(runId, results, () => db.prepare("DELETE FROM trigger_results WHERE run_id = ?").run(runId)),
    loadTriggerResults: (runId) =>
      select("load trigger results", "SELECT * FROM trigger_results WHERE run_id = ? ORDER BY trigger, organism, replicate", runId).pipe(
        Effect.flatMap(decodeRows(TriggerResults.name, TriggerRow))
      ),
    saveSearch: (runId, score) => writeDerived(runId, [{ kind: "search", score }]),
    loadSearch: (runId) =>
      select("load search", "SELECT kind, json FROM derived WHERE run_id = ? AND kind = 'search'", runId).pipe(
        Effect.flatMap(decodeRows(Derived.name, SearchRow)),
        Effect.map((found) => Option.map(Option.fromNullable(found[0]), (r) => r.score))
      ),
    finishRun: (runId, finishedAt) =>
      query("finish run", () => void db.prepare("UPDATE runs SET finished_at = ? WHERE id = ?").run(finishedAt, runId)),
    saveGraderChecks: (runId, graders) => writeGraders(runId, graders),
    loadGraderChecks: (runId) =>
      select("load grader checks", "SELECT grader, evaluations_json, passed, properties_json FROM grader_checks WHERE run_id = ? ORDER BY grader", runId).pipe(
        Effect.flatMap(decodeRows(GraderChecks.name, GraderRow))
      ),
    cacheGet: (key) =>
      select("read response cache", "SELECT response_json FROM response_cache WHERE key = ?", key).pipe(
        Effect.flatMap(decodeRows("response_cache", CacheRow)),
        Effect.map((found) => Option.map(Option.fromNullable(found[0]), (r) => r.response))
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
        : select(
          "load sample scores",
          `SELECT evaluation, organism, replicate, sample, AVG(score) AS score FROM responses
           WHERE run_id = ? AND evaluation IN (${evaluations.map(() => "?").join(", ")})
           GROUP BY evaluation, organism, replicate, sample`,
          runId,
          ...evaluations
        ).pipe(Effect.flatMap(decodeRows("responses", SampleScoreRow))),
    createServeSession: (session) => writeSession("", [session]),
    finishServeSession: (id, finishedAt) =>
      query("finish serve session", () => void db.prepare("UPDATE serve_sessions SET finished_at = ? WHERE id = ?").run(finishedAt, id)),
    saveServed: (requests) => (requests.length === 0 ? Effect.void : writeServed("", requests)),
    listServeSessions: () =>
      select("list serve sessions", "SELECT * FROM serve_sessions ORDER BY started_at, id").pipe(Effect.flatMap(decodeRows(ServeSessions.name, ServeSessionRow))),
    loadServed: (sessionId) =>
      select("load served requests", "SELECT * FROM served_requests WHERE session_id = ? ORDER BY seq", sessionId).pipe(
        Effect.flatMap(decodeRows(ServedRequests.name, ServedRow))
      )
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
