import { Args, Command } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { consoleSummary } from "./console-table.js"
import { executeAudit, failIfIncomplete, loadAuditForRun } from "./execute-audit.js"
import { formatWritten } from "./output-paths.js"
import { executeShard } from "./run-shard-command.js"
import * as Shared from "./shared-options.js"
import { plural } from "../domain/plural.js"
import { resolveShard, shard } from "./shard-option.js"

const audit = Args.file({ name: "audit", exists: "either" }).pipe(
  Args.withDescription(`audit file: ${Shared.AUDIT_FILE_KINDS}`)
)

export const runCommand = Command.make(
  "run",
  { audit, ...Shared.executeOptions, shard },
  Effect.fn("run")(function* (args) {
    // Validate everything before the store or the output folder is touched: bad input writes nothing.
    const inShard = yield* resolveShard(args.shard)
    // Under the run's seed (--seed, or a resumed run's), so the subsets are the ones the run measures.
    const spec = yield* loadAuditForRun(args.audit, args)
    if (Option.isSome(inShard)) return yield* executeShard(spec, args, inShard.value)
    const { report, written } = yield* executeAudit(spec, args, args.audit)
    yield* Console.log(consoleSummary(report.summary))
    yield* Console.log(
      `\n${report.resumed ? `resumed run ${report.run.id}: ${plural(report.cellsSkipped, "cell")} already done, ${report.cellsRun} run` : `run ${report.run.id}: ${plural(report.cellsRun, "cell")}`}`
    )
    yield* Console.log(formatWritten(written, args.db))
    yield* failIfIncomplete(report)
  })
).pipe(Command.withDescription("run (or resume) an audit: every evaluation against every organism, then the triggers; writes memo.md, memo.html, summary.json and mutation-report.json (with --shard, one shard's cells into its store, for `evalaudit merge`)"))
