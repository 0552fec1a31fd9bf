import { Options } from "@effect/cli"
import { Id } from "../domain/ids.js"

/** Options shared by the commands that touch the store or write reports. */
export const db = Options.file("db").pipe(
  Options.withDefault("out/evalaudit.db"),
  Options.withDescription("SQLite file holding runs and results")
)

export const out = Options.directory("out").pipe(
  Options.withDefault("out"),
  Options.withDescription("directory for memos and JSON summaries (one folder per run)")
)

export const json = Options.file("json").pipe(
  Options.optional,
  Options.withDescription("also write the JSON summary to this file")
)

export const quiet = Options.boolean("quiet").pipe(Options.withDescription("no progress on stderr"))

/** Options of the commands that run an audit (`run`, and `check` given an audit file). */
export const seed = Options.integer("seed").pipe(
  Options.optional,
  Options.withDescription("the run's seed, root of all its randomness: subsets, draws, checks and the search (default: the audit's; new runs only)")
)

export const replicates = Options.integer("replicates").pipe(
  Options.optional,
  Options.withDescription("override the audit's number of replicates (new runs only)")
)

export const concurrency = Options.integer("concurrency").pipe(
  Options.withDefault(8),
  Options.withDescription("cells measured at once")
)

export const runId = Options.text("run-id").pipe(
  Options.withSchema(Id),
  Options.optional,
  Options.withDescription("resume this run (finished cells are skipped), or create it under this id")
)

export const noCache = Options.boolean("no-cache").pipe(
  Options.withDescription("ask the models again instead of reading cached responses (fresh answers are still stored)")
)

export const cacheOnly = Options.boolean("cache-only").pipe(
  Options.withDescription("answer only from cached responses and fail a cell on a miss: reproduces a memo offline, without API keys")
)

export const allowLarge = Options.boolean("allow-large").pipe(
  Options.withDescription("run even when the estimated work exceeds the budget (README, \"Limits\")")
)

/** Every option of the commands that run an audit (`run`, and `check` given an audit file). */
export const executeOptions = { db, out, json, seed, replicates, concurrency, runId, quiet, noCache, cacheOnly, allowLarge }
