import { Command } from "@effect/cli"
import { Console, Effect } from "effect"
import { AuditStore, layerSqlite } from "../store/audit-store.js"
import * as Shared from "./shared-options.js"
import { plural } from "../domain/plural.js"

export const runsCommand = Command.make(
  "runs",
  { db: Shared.db },
  Effect.fn("runs")(function* (args) {
    const runs = yield* Effect.flatMap(AuditStore, (s) => s.listRuns()).pipe(Effect.provide(layerSqlite(args.db, { mustExist: true })))
    if (runs.length === 0) return yield* Console.log(`no runs in ${args.db}`)
    for (const r of runs) {
      const state = r.finishedAt === null ? "incomplete" : "finished"
      yield* Console.log(
        `${r.id}  ${r.audit}  seed ${r.seed}  ${plural(r.replicates, "replicate")}  ${plural(r.cells, "cell")}${r.errors > 0 ? ` (${plural(r.errors, "error")})` : ""}  ${state}  ${r.startedAt}  ${r.specHash}`
      )
    }
  })
).pipe(Command.withDescription("list the runs in a store"))
