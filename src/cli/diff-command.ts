import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { diffRuns } from "../diff/run-diff.js"
import { formatDiffMarkdown, formatDiffText } from "../diff/format-diff.js"
import { summarizeRun } from "../audit/run-audit.js"
import { layerSqlite } from "../store/audit-store.js"
import { choice, defaulting } from "./option-kinds.js"
import * as Shared from "./shared-options.js"

const runA = Args.text({ name: "run-a" }).pipe(Args.withDescription("the earlier run (the baseline), in --db"))
const runB = Args.text({ name: "run-b" }).pipe(Args.withDescription("the later run, in --db-b if given, else in --db"))
const dbB = Options.file("db-b").pipe(Options.optional, Options.withDescription("the store holding run B, when it is not --db"))
const format = choice("format", ["text", "markdown"]).pipe(defaulting("text", "text for a terminal or log, markdown for a pull-request comment"))

/** A run as the diff needs it: rebuilt from its store alone. */
const side = (runId: string, db: string) =>
  summarizeRun(runId).pipe(
    Effect.map(({ summary, audit }) => ({ summary, audit })),
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
