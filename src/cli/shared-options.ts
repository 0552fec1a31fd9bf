import { Options } from "@effect/cli"
import { availableParallelism } from "node:os"
import { Id } from "../domain/ids.js"
import { defaulting, integer } from "./option-kinds.js"

/** The audit files `run`, `check`, `search` and `graders` read, as their help lists them. */
export const AUDIT_FILE_KINDS = "a .ts, .mts, .js or .mjs module whose default export is defineAudit({...}), or a .yaml, .yml or .json audit"

const defaultDb = "out/evalaudit.db"
const defaultOut = "out"

/** The defaults of --db and --out, for messages that repeat a command line. */
export const defaults = { db: defaultDb, out: defaultOut } as const

/** Options shared by the commands that touch the store or write reports. */
export const db = Options.file("db").pipe(defaulting(defaultDb, "SQLite file holding runs and results"))

// Text, not Options.directory: a path under a regular file must reach checkWritable's one-line
// refusal instead of failing inside the parser's existence check.
export const out = Options.text("out").pipe(defaulting(defaultOut, "directory for memos and JSON summaries (one folder per run)"))

export const json = Options.file("json").pipe(
  Options.optional,
  Options.withDescription("also write the JSON summary to this file")
)

export const quiet = Options.boolean("quiet").pipe(Options.withDescription("no progress on stderr"))

/** Options of the commands that run an audit (`run`, and `check` given an audit file). */
export const seed = integer("seed").pipe(
  Options.optional,
  Options.withDescription("the run's seed, root of all its randomness: subsets, draws, checks and the search (default: the audit's; new runs only)")
)

export const replicates = integer("replicates").pipe(
  Options.optional,
  Options.withDescription("override the audit's number of replicates (new runs only)")
)

export const concurrency = integer("concurrency").pipe(defaulting(8, "cells measured at once"))

export const workers = Options.integer("workers").pipe(
  Options.withDefault(availableParallelism()),
  Options.withDescription("threads measuring simulated cells (default: the number of cores; 1: the main thread alone); never changes a number")
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
export const executeOptions = { db, out, json, seed, replicates, concurrency, workers, runId, quiet, noCache, cacheOnly, allowLarge }
