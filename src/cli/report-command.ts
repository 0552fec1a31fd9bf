import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { writeOutputs } from "./write-outputs.js"
import { summarizeRun } from "../audit/run-audit.js"
import { layerSqlite } from "../store/audit-store.js"
import { consoleSummary } from "./console-table.js"
import { formatWritten } from "./output-paths.js"
import * as Shared from "./shared-options.js"

const unseal = Options.boolean("unseal").pipe(
  Options.withDescription("show held-out organisms in full (their parameters are sealed, shown by hash, until then)")
)

const runId = Args.text({ name: "run-id" }).pipe(Args.withDescription("the run to report (see `evalaudit runs`)"))

export const reportCommand = Command.make(
  "report",
  { runId, db: Shared.db, out: Shared.out, json: Shared.json, unseal },
  Effect.fn("report")(function* (args) {
    const { summary } = yield* summarizeRun(args.runId, { unseal: args.unseal }).pipe(Effect.provide(layerSqlite(args.db, { mustExist: true })))
    const written = yield* writeOutputs(summary, args.out, Option.getOrUndefined(args.json))
    yield* Console.log(consoleSummary(summary))
    yield* Console.log(`\n${formatWritten(written)}`)
  })
).pipe(Command.withDescription("rewrite a run's memo (Markdown and HTML), JSON summary and mutation report from the store"))
