import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { mergeShards, readShards } from "../audit/merge-shards.js"
import { formatShard } from "../domain/shard.js"
import { Id } from "../domain/ids.js"
import { RunIncomplete } from "../domain/run-error.js"
import { layerSqlite } from "../store/audit-store.js"
import { consoleSummary } from "./console-table.js"
import { formatWritten } from "./output-paths.js"
import * as Shared from "./shared-options.js"
import { writeOutputs } from "./write-outputs.js"

const stores = Args.file({ name: "store", exists: "yes" }).pipe(
  Args.atLeast(1),
  Args.withDescription("the shard stores (the --db of each `run --shard i/n`)")
)

const runId = Options.text("run-id").pipe(
  Options.withSchema(Id),
  Options.optional,
  Options.withDescription("the shard run to merge, when a store holds several")
)

export const mergeCommand = Command.make(
  "merge",
  { stores, db: Shared.db, out: Shared.out, json: Shared.json, runId },
  Effect.fn("merge")(function* (args) {
    // Every store is read and checked before the merged store is opened: a refused merge writes nothing.
    const shards = yield* readShards(args.stores, Option.getOrUndefined(args.runId))
    const report = yield* mergeShards(shards, process.argv.slice(2).join(" "), (summary) => writeOutputs(summary, args.out, Option.getOrUndefined(args.json))).pipe(
      Effect.provide(layerSqlite(args.db))
    )
    const written = report.published
    yield* Console.log(consoleSummary(report.summary))
    yield* Console.log(`\nmerged ${shards.stores.map((s) => formatShard(s.shard)).join(", ")} into run ${report.run.id}`)
    yield* Console.log(formatWritten(written, args.db))
    const problems = [
      ...(report.missing.length === 0 ? [] : [`missing shards: ${report.missing.map(formatShard).join(", ")} (no store holds them)`]),
      ...report.unfinished.map((u) => `shard ${formatShard(u.shard)} in ${u.file} is unfinished: resume it, then merge again into a new --db`),
      ...report.problems
    ]
    if (problems.length === 0) return
    for (const problem of problems) yield* Console.error(`evalaudit: ${problem}`)
    return yield* new RunIncomplete({ message: `merged run ${report.run.id} is incomplete` })
  })
).pipe(
  Command.withDescription(
    "merge the stores of a sharded run (`run --shard i/n`) into one run of --db, then derive, summarize and write its reports as `run` does; exits 1 while a shard is missing or unfinished"
  )
)
