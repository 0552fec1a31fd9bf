import { Args, Command, Options } from "@effect/cli"
import { Clock, Console, Effect, Option, Schema } from "effect"
import { loadAudit } from "../audit/load-audit.js"
import { formatResult } from "../graders/battery/property-result.js"
import { checkAuditGraders } from "../graders/battery/audit-graders.js"
import { graderScores } from "../run/run-audit.js"
import { AuditStore, layerSqlite } from "../store/audit-store.js"
import * as Shared from "./shared-options.js"
import { UsageError } from "./usage-error.js"

const audit = Args.file({ name: "audit", exists: "either" }).pipe(Args.withDescription("audit file whose evaluations' graders to check"))
const runs = Options.integer("runs").pipe(Options.withDefault(100), Options.withDescription("runs per property (bounds the battery's cost)"))
const seed = Options.integer("seed").pipe(Options.optional, Options.withDescription("seed of the property runs (default: the audit's)"))

/** Some grader failed a property: a finding, reported with exit code 1 like a failed check. */
export class GraderFaultsFound extends Schema.TaggedError<GraderFaultsFound>()("GraderFaultsFound", {
  message: Schema.String
}) {}

export const gradersCommand = Command.make(
  "graders",
  { audit, runs, seed, db: Shared.db },
  Effect.fn("graders")(function* (args) {
    const spec = yield* loadAudit(args.audit)
    if (args.runs < 1) return yield* new UsageError({ message: `--runs must be at least 1, got ${args.runs}` })
    const usedSeed = Option.getOrElse(args.seed, () => spec.seed)
    const reports = checkAuditGraders(spec, usedSeed, args.runs)
    for (const g of reports) {
      yield* Console.log(`grader ${g.grader} (used by ${g.evaluations.join(", ")})`)
      for (const r of g.report.results) yield* Console.log(`  ${formatResult(g.grader, r).replace(/\n/g, "\n  ")}`)
    }
    const id = `graders-${new Date(yield* Clock.currentTimeMillis).toISOString().replace(/[-:]/g, "").replace(/\..*$/, "")}`
    yield* Effect.flatMap(AuditStore, (store) => store.saveGraderChecks(id, graderScores(reports))).pipe(Effect.provide(layerSqlite(args.db)))
    const failed = reports.filter((g) => !g.report.passed).length
    yield* Console.log(`\n${reports.length} graders checked, ${failed} with faults; stored as ${id} in ${args.db} (table grader_checks)`)
    if (failed > 0) return yield* new GraderFaultsFound({ message: `${failed} of ${reports.length} graders fail the battery` })
  })
).pipe(Command.withDescription("run the grader property battery over every grader of an audit (exit 1 if any grader has a fault)"))
