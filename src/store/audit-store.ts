import type Database from "better-sqlite3"
import { Clock, Context, Effect, Layer, Option } from "effect"
import { existsSync, mkdirSync } from "node:fs"
import { dirname } from "node:path"
import type { CellResult, SampleResult, TriggerResult } from "../domain/outcome.js"
import type { HarnessLogRecord, HarnessSampleRecord } from "../domain/harness.js"
import type { ManipulationCheck, RunRecord, SampleScore } from "../domain/run.js"
import type { SearchScore } from "../domain/search-settings.js"
import type { ServedRequest, ServeSession } from "../domain/serve.js"
import type { Shard } from "../domain/shard.js"
import { StoreError } from "../domain/store-error.js"
import type { GraderScore } from "../domain/summary.js"
import { hostname } from "node:os"
import { openStoreFile } from "./open-store.js"
import {
  CacheRow,
  CellKeyRow,
  CellRow,
  Cells,
  Responses,
  CheckRow,
  decodeRows,
  Derived,
  DerivedShard,
  encodeRows,
  GraderChecks,
  GraderRow,
  HarnessLogRow,
  HarnessLogs,
  HarnessSampleRow,
  HarnessSamples,
  ListingRow,
  ManipulationChecks,
  RunRow,
  Runs,
  SampleRow,
  SampleScoreRow,
  SearchRow,
  ServedRequests,
  ServedRow,
  ServeSessionRow,
  ServeSessions,
  ShardRow,
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
  /** Records a new run, claimed by this process, in one transaction; fails with reason `Exists` when its id is taken. */
  readonly createRun: (run: StoredRun) => Effect.Effect<void, StoreError>
  /**
   * Claims a run for this process, so two processes never measure its cells at once: fails
   * with reason `Busy` while another live process holds it (a claim left by a killed process
   * is taken over). Every batch saved refreshes it.
   */
  readonly claimRun: (runId: string) => Effect.Effect<void, StoreError>
  /** Gives up this process's claim on a run (when it stops, finished or not). */
  readonly releaseRun: (runId: string) => Effect.Effect<void, StoreError>
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
  /** The shard of the run a shard store holds (see `run --shard`). */
  readonly saveShard: (runId: string, shard: Shard) => Effect.Effect<void, StoreError>
  /** None for a run that is not a shard. */
  readonly loadShard: (runId: string) => Effect.Effect<Option.Option<Shard>, StoreError>
  /**
   * Copies the cells and responses of run `fromRunId` in the store file `file` into run
   * `toRunId` of this store, in one transaction (merging shards). Rows go across as SQLite
   * holds them: both files have this store's schema, and a row is decoded when it is read.
   */
  readonly importCells: (file: string, fromRunId: string, toRunId: string) => Effect.Effect<void, StoreError>
  /** Model responses by request key (provider, model and request; never an API key), shared by every run in the file. */
  readonly cacheGet: (key: string) => Effect.Effect<Option.Option<string>, StoreError>
  readonly cachePut: (key: string, responseJson: string) => Effect.Effect<void, StoreError>
  /** The harness logs a run was scored from and every answer they scored (`evalaudit score`), in one transaction. */
  readonly saveHarness: (runId: string, logs: ReadonlyArray<HarnessLogRecord>, samples: ReadonlyArray<HarnessSampleRecord>) => Effect.Effect<void, StoreError>
  /** Empty for a run measured by evalaudit itself. */
  readonly loadHarness: (runId: string) => Effect.Effect<HarnessRecords, StoreError>
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

/** What a run scored from harness logs stored of them. */
export interface HarnessRecords {
  readonly logs: ReadonlyArray<HarnessLogRecord>
  readonly samples: ReadonlyArray<HarnessSampleRecord>
}

export class AuditStore extends Context.Tag("evalaudit/AuditStore")<AuditStore, AuditStoreShape>() {}

export const cellKey = (evaluation: string, organism: string, replicate: number): string =>
  `${evaluation}/${organism}/${replicate}`

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/**
 * Opens (creating if needed) a store file, refusing one that is not an evalaudit store, is
 * newer than this version or is damaged (see `openStoreFile`), in WAL mode, migrated.
 */
const open = (file: string, mustExist: boolean): Effect.Effect<Database.Database, StoreError> =>
  Effect.suspend(() =>
    mustExist && file !== ":memory:" && !existsSync(file)
      ? Effect.fail(new StoreError({ reason: "NotFound", message: `no store at ${file} (give the file with --db)` }))
      : Effect.void
  ).pipe(Effect.zipRight(Effect.try({
    try: () => {
      if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true })
      return openStoreFile(file)
    },
    catch: (e) => (e instanceof StoreError ? e : new StoreError({ reason: "Open", message: `cannot open store ${file}: ${message(e)}` }))
  })))

/** The process that holds a run's claim: this one, or another that is still alive. */
interface Claimant {
  readonly host: string
  readonly pid: number
}

/** A claim from another host is trusted for this long after its last heartbeat (one per batch). */
const FOREIGN_CLAIM_MS = 10 * 60_000

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return e instanceof Error && "code" in e && e.code === "EPERM"
  }
}

const make = (db: Database.Database, self: Claimant): AuditStoreShape => {
  const query = <A>(what: string, f: () => A): Effect.Effect<A, StoreError> =>
    Effect.try({ try: f, catch: (e) => (e instanceof StoreError ? e : new StoreError({ reason: "Query", message: `${what}: ${message(e)}` })) })
  const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

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

  const insertRun = writer("INSERT", Runs)
  const putClaim = db.prepare("INSERT OR REPLACE INTO run_claims (run_id, host, pid, claimed_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)")
  const heartbeat = db.prepare("UPDATE run_claims SET heartbeat_at = ? WHERE run_id = ? AND host = ? AND pid = ?")
  /** The live process other than this one that holds `runId`, if any. */
  const holder = (runId: string, now: number): Claimant | undefined => {
    const row: unknown = db.prepare("SELECT host, pid, heartbeat_at FROM run_claims WHERE run_id = ?").get(runId)
    if (typeof row !== "object" || row === null || !("host" in row) || !("pid" in row) || !("heartbeat_at" in row)) return undefined
    const claimant = { host: String(row.host), pid: Number(row.pid) }
    if (claimant.host === self.host && claimant.pid === self.pid) return undefined
    const alive = claimant.host === self.host ? isAlive(claimant.pid) : now - Date.parse(String(row.heartbeat_at)) < FOREIGN_CLAIM_MS
    return alive ? claimant : undefined
  }
  const writeCells = save("save cells", writer("INSERT OR REPLACE", Cells), Cells)
  // Responses are most of what a run writes, so they skip the generic writer: bound straight
  // from the sample results, with no row object, runtime encode or argument array per
  // response. Their schema (`ResponseRow`) transforms nothing: the columns hold the
  // sample result's own values.
  const insertResponse = db.prepare(
    "INSERT OR REPLACE INTO responses (run_id, evaluation, organism, replicate, sample, epoch, response, score, explanation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
  )
  const deleteResponses = db.prepare("DELETE FROM responses WHERE run_id = ? AND evaluation = ? AND organism = ? AND replicate = ?")
  const writeChecks = save("save manipulation checks", writer("INSERT OR REPLACE", ManipulationChecks), ManipulationChecks)
  const writeTriggers = save("save trigger results", writer("INSERT", TriggerResults), TriggerResults)
  const writeDerived = save("save derived results", writer("INSERT OR REPLACE", Derived), Derived)
  const writeGraders = save("save grader checks", writer("INSERT OR REPLACE", GraderChecks), GraderChecks)
  const writeSession = save("create serve session", writer("INSERT", ServeSessions), ServeSessions)
  const writeServed = save("save served requests", writer("INSERT", ServedRequests), ServedRequests)
  const writeHarnessLogs = save("save harness logs", writer("INSERT OR REPLACE", HarnessLogs), HarnessLogs)
  const writeHarnessSamples = writer("INSERT OR REPLACE", HarnessSamples)
  const writeShard = save("save shard", writer("INSERT OR REPLACE", DerivedShard), DerivedShard)
  /** `INSERT INTO main.<table> SELECT` of one run's rows from the attached file, under another run id. */
  const copyRows = (table: { readonly name: string; readonly columns: ReadonlyArray<string> }) => {
    const columns = table.columns.join(", ")
    return db.prepare(`INSERT INTO main.${table.name} (run_id, ${columns}) SELECT ?, ${columns} FROM shard.${table.name} WHERE run_id = ?`)
  }

  return {
    createRun: (run) =>
      Effect.all([encodeRows(Runs)([run]), nowIso]).pipe(
        Effect.flatMap(([rows, now]) =>
          query("create run", () => {
            try {
              db.transaction(() => {
                insertRun(run.id, rows)
                putClaim.run(run.id, self.host, self.pid, now, now)
              }).immediate()
            } catch (e) {
              // Taken between looking and creating (another process started the same id): one INSERT wins.
              if (e instanceof Error && "code" in e && e.code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
                throw new StoreError({ reason: "Exists", message: `a run ${run.id} already exists` })
              }
              throw e
            }
          })
        )
      ),
    claimRun: (runId) =>
      Effect.flatMap(Clock.currentTimeMillis, (ms) =>
        query("claim run", () =>
          db.transaction(() => {
            const other = holder(runId, ms)
            if (other !== undefined) {
              throw new StoreError({
                reason: "Busy",
                message: `run ${runId} is being measured by another process (pid ${other.pid} on ${other.host}); wait for it to stop, or stop it, then resume`
              })
            }
            const now = new Date(ms).toISOString()
            putClaim.run(runId, self.host, self.pid, now, now)
          }).immediate()
        )
      ),
    releaseRun: (runId) =>
      query("release run", () => void db.prepare("DELETE FROM run_claims WHERE run_id = ? AND host = ? AND pid = ?").run(runId, self.host, self.pid)),
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
    saveCells: (runId, cells) =>
      Effect.flatMap(nowIso, (now) =>
        writeCells(runId, cells.map((c) => c.result), () => {
          for (const { result: c, samples } of cells) {
            // A re-measured cell replaces its responses, never adds to them.
            deleteResponses.run(runId, c.evaluation, c.organism, c.replicate)
            for (const s of samples) insertResponse.run(runId, c.evaluation, c.organism, c.replicate, s.sample, s.epoch, s.response, s.score, s.explanation)
          }
          heartbeat.run(now, runId, self.host, self.pid)
        })
      ),
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
    saveShard: (runId, shard) => writeShard(runId, [{ kind: "shard", shard }]),
    loadShard: (runId) =>
      select("load shard", "SELECT kind, json FROM derived WHERE run_id = ? AND kind = 'shard'", runId).pipe(
        Effect.flatMap(decodeRows(DerivedShard.name, ShardRow)),
        Effect.map((found) => Option.map(Option.fromNullable(found[0]), (r) => r.shard))
      ),
    importCells: (file, fromRunId, toRunId) =>
      query(`import cells from ${file}`, () => {
        // ATTACH cannot run inside a transaction; the copy itself is one.
        db.prepare("ATTACH DATABASE ? AS shard").run(file)
        try {
          db.transaction(() => {
            for (const table of [Cells, Responses]) copyRows(table).run(toRunId, fromRunId)
          })()
        } finally {
          db.exec("DETACH DATABASE shard")
        }
      }),
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
    saveHarness: (runId, logs, samples) =>
      encodeRows(HarnessSamples)(samples.map(({ intended, ...rest }) => (intended === null ? rest : { ...rest, intended }))).pipe(
        Effect.flatMap((rows) => writeHarnessLogs(runId, logs, () => writeHarnessSamples(runId, rows)))
      ),
    loadHarness: (runId) =>
      Effect.all({
        logs: select("load harness logs", "SELECT file, format, sha256, entries, unmatched FROM harness_logs WHERE run_id = ? ORDER BY file", runId).pipe(
          Effect.flatMap(decodeRows(HarnessLogs.name, HarnessLogRow))
        ),
        samples: select(
          "load harness samples",
          `SELECT evaluation, organism, replicate, sample, epoch, harness_score, intended, response, explanation, file FROM harness_samples
           WHERE run_id = ? ORDER BY evaluation, organism, replicate, sample, epoch`,
          runId
        ).pipe(
          Effect.flatMap(decodeRows(HarnessSamples.name, HarnessSampleRow)),
          Effect.map((rows) => rows.map((r): HarnessSampleRecord => ({ ...r, intended: r.intended ?? null })))
        )
      }),
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
    Effect.acquireRelease(open(file, options.mustExist ?? false), (db) => Effect.sync(() => db.close())).pipe(
      Effect.map((db) => make(db, { host: hostname(), pid: process.pid }))
    )
  )
