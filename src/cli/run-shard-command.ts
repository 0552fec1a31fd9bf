import { Console, Effect, Option } from "effect"
import { runShard } from "../audit/run-shard.js"
import type { ResolvedAudit } from "../domain/audit.js"
import { formatShard, type Shard } from "../domain/shard.js"
import { type ExecuteOptions, failIfIncomplete, runOptions, withRunContext } from "./execute-audit.js"
import { UsageError } from "./usage-error.js"

/**
 * `run --shard i/n`: measures one shard's cells into `--db` and writes no report (the merge
 * does). A shard that could not finish says why and exits 1; run it again to resume it.
 */
export const executeShard = (spec: ResolvedAudit, options: ExecuteOptions, shard: Shard) =>
  Effect.gen(function* () {
    if (Option.isSome(options.json)) {
      return yield* new UsageError({ message: "--json: a shard writes no report (evalaudit merge does); leave it out with --shard" })
    }
    const report = yield* withRunContext(spec, options, runShard(spec, { ...runOptions(options), shard }))
    const counts = `${report.cellsRun} cells measured${report.resumed ? `, ${report.cellsSkipped} already done` : ""}, ${report.cellsPlanned} in this shard`
    yield* Console.log(`shard ${formatShard(shard)} of run ${report.run.id}: ${counts}`)
    yield* Console.log(`store:    ${options.db}${report.complete ? "" : " (unfinished: run the same command again to resume)"}`)
    const problems = report.complete ? [] : report.problems.length > 0 ? report.problems : ["some cells of this shard errored"]
    yield* failIfIncomplete({ run: report.run, problems })
  })
