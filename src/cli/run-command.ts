import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { loadAudit } from "../audit/load-audit.js"
import { Id } from "../domain/ids.js"
import { writeOutputs } from "../report/write-outputs.js"
import { Progress } from "../run/progress.js"
import { runAudit } from "../run/run-audit.js"
import { layerSqlite } from "../store/audit-store.js"
import { consoleSummary } from "./console-table.js"
import { stderrProgress } from "./progress-stderr.js"
import * as Shared from "./shared-options.js"
import { UsageError } from "./usage-error.js"

const audit = Args.file({ name: "audit", exists: "either" }).pipe(
  Args.withDescription("audit file: a .ts module exporting defineAudit(...) as default, or a .json spec")
)
const seed = Options.integer("seed").pipe(Options.optional, Options.withDescription("override the audit's seed (new runs only)"))
const replicates = Options.integer("replicates").pipe(
  Options.optional,
  Options.withDescription("override the audit's number of replicates (new runs only)")
)
const concurrency = Options.integer("concurrency").pipe(
  Options.withDefault(8),
  Options.withDescription("cells measured at once")
)
const runId = Options.text("run-id").pipe(
  Options.withSchema(Id),
  Options.optional,
  Options.withDescription("resume this run (finished cells are skipped), or create it under this id")
)

export const runCommand = Command.make(
  "run",
  { audit, db: Shared.db, out: Shared.out, json: Shared.json, seed, replicates, concurrency, runId, quiet: Shared.quiet },
  Effect.fn("run")(function* (args) {
    // Validate everything before the store or the output folder is touched: bad input writes nothing.
    const spec = yield* loadAudit(args.audit)
    const positive = (name: string, v: Option.Option<number>) =>
      Option.isSome(v) && v.value < 1 ? Effect.fail(new UsageError({ message: `--${name} must be at least 1, got ${v.value}` })) : Effect.void
    yield* positive("replicates", args.replicates)
    yield* positive("concurrency", Option.some(args.concurrency))
    const command = process.argv.slice(2).join(" ")
    const report = yield* runAudit(spec, {
      seed: Option.getOrUndefined(args.seed),
      replicates: Option.getOrUndefined(args.replicates),
      concurrency: args.concurrency,
      runId: Option.getOrUndefined(args.runId),
      command
    }).pipe(
      Effect.provide(layerSqlite(args.db)),
      Effect.provide(args.quiet ? Progress.silent : stderrProgress)
    )
    const written = yield* writeOutputs(report.summary, args.out, Option.getOrUndefined(args.json))
    yield* Console.log(consoleSummary(report.summary))
    yield* Console.log(
      `\n${report.resumed ? `resumed run ${report.run.id}: ${report.cellsSkipped} cells already done, ${report.cellsRun} run` : `run ${report.run.id}: ${report.cellsRun} cells`}`
    )
    yield* Console.log(`store:   ${args.db}\nmemo:    ${written.memo}\nsummary: ${written.summary}${written.json === undefined ? "" : `\njson:    ${written.json}`}`)
  })
).pipe(Command.withDescription("run (or resume) an audit: every evaluation against every organism, then the triggers"))
