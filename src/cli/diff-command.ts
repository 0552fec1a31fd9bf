import { Args, Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Console, Effect, Either, Option } from "effect"
import { diffRuns, type RunSide } from "../diff/run-diff.js"
import { decodeSummaryFile } from "../diff/summary-file.js"
import { UsageError } from "./usage-error.js"
import { formatDiffMarkdown, formatDiffText } from "../diff/format-diff.js"
import { summarizeRun } from "../audit/run-audit.js"
import { layerSqlite } from "../store/audit-store.js"
import { choice, defaulting } from "./option-kinds.js"
import * as Shared from "./shared-options.js"

const runA = Args.text({ name: "run-a" }).pipe(Args.withDescription("the earlier run (the baseline), in --db, or a summary.json file (format /1 or /2)"))
const runB = Args.text({ name: "run-b" }).pipe(Args.withDescription("the later run, in --db-b if given, else in --db, or a summary.json file"))
const dbB = Options.file("db-b").pipe(Options.optional, Options.withDescription("the store holding run B, when it is not --db"))
const format = choice("format", ["text", "markdown"]).pipe(defaulting("text", "text for a terminal or log, markdown for a pull-request comment"))

/** A summary file of either format version: no definitions to compare. */
const fromFile = (path: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(path).pipe(Effect.mapError((e) => new UsageError({ message: `${path}: cannot read the summary file (${e.message})` })))
    const summary = yield* Either.mapLeft(decodeSummaryFile(text), (e) => new UsageError({ message: `${path}: expected an evalaudit summary (format evalaudit.summary/1 or /2): ${e.message.split("\n").slice(0, 4).join(" ")}` }))
    return { summary, audit: null }
  })

/** A run as the diff needs it: rebuilt from its store alone, or read from a summary file (`*.json`). */
const side = (runId: string, db: string): Effect.Effect<RunSide, unknown, FileSystem.FileSystem> =>
  runId.endsWith(".json")
    ? fromFile(runId)
    : summarizeRun(runId).pipe(
      Effect.map(({ summary, audit }): RunSide => ({ summary, audit })),
      Effect.provide(layerSqlite(db, { mustExist: true }))
    )

export const diffCommand = Command.make(
  "diff",
  { runA, runB, db: Shared.db, dbB, format },
  Effect.fn("diff")(function* (args) {
    const a = yield* side(args.runA, args.db)
    const b = yield* side(args.runB, Option.getOrElse(args.dbB, () => args.db))
    const diff = diffRuns(a, b)
    yield* Console.log((args.format === "markdown" ? formatDiffMarkdown(diff) : formatDiffText(diff)).trimEnd())
  })
).pipe(
  Command.withDescription(
    "what changed between two runs: settings, definitions (by hash), sensitivity and specificity per evaluation and trigger " +
      "(a change only when the 95% intervals do not overlap, else within noise), new and resolved escapes"
  )
)
