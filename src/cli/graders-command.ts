import { Args, Command, Options } from "@effect/cli"
import { Clock, Console, Effect, Option, Schema } from "effect"
import { loadAudit } from "../audit/load-audit.js"
import { checkAuditGraders, graderScores } from "../audit/check-graders.js"
import { formatResult } from "../evaluations/graders/battery/property-result.js"
import { propertyNames } from "../evaluations/graders/battery/run-battery.js"
import { plural } from "../report/format.js"
import { sha256Hex } from "../stats/seeded-random.js"
import { AuditStore, layerSqlite } from "../store/audit-store.js"
import { defaulting, integer } from "./option-kinds.js"
import * as Shared from "./shared-options.js"
import { UsageError } from "./usage-error.js"

const audit = Args.file({ name: "audit", exists: "either" }).pipe(Args.withDescription(`audit file whose evaluations' graders to check: ${Shared.AUDIT_FILE_KINDS}`))
const runs = integer("runs").pipe(defaulting(100, "runs per property (bounds the battery's cost)"))
const timeLimit = integer("time-limit").pipe(
  defaulting(10, "seconds per property after which no new run starts (an interrupted property is reported as not checked)")
)
const seed = integer("seed").pipe(Options.optional, Options.withDescription("seed of the property runs (default: the audit's)"))
const replay = Options.text("replay").pipe(
  Options.optional,
  Options.withDescription('replay one reported failure: "<property>:<seed>:<path>"')
)

/** Some grader failed a property: a finding, reported with exit code 1 like a failed check. */
export class GraderFaultsFound extends Schema.TaggedError<GraderFaultsFound>()("GraderFaultsFound", {
  message: Schema.String
}) {}

const parseReplay = (text: string) => {
  const match = /^([a-z-]+):(-?\d+):([\d:]*)$/.exec(text)
  const property = match?.[1]
  if (match === null || property === undefined || !propertyNames.includes(property)) {
    return Effect.fail(new UsageError({ message: `--replay expects "<property>:<seed>:<path>" with a property among ${propertyNames.join(", ")}; got "${text}"` }))
  }
  return Effect.succeed({ property, seed: Number(match[2]), path: match[3] ?? "" })
}

export const gradersCommand = Command.make(
  "graders",
  { audit, runs, timeLimit, seed, replay, db: Shared.db },
  Effect.fn("graders")(function* (args) {
    const spec = yield* loadAudit(args.audit)
    if (args.runs < 1) return yield* new UsageError({ message: `--runs must be at least 1, got ${args.runs}` })
    if (args.timeLimit < 1) return yield* new UsageError({ message: `--time-limit must be at least 1 second, got ${args.timeLimit}` })
    const replayed = Option.isSome(args.replay) ? yield* parseReplay(args.replay.value) : undefined
    const reports = checkAuditGraders(spec, {
      seed: Option.getOrElse(args.seed, () => spec.seed),
      numRuns: args.runs,
      timeLimitMs: args.timeLimit * 1000,
      replay: replayed
    })
    for (const g of reports) {
      yield* Console.log(`grader ${g.grader} (used by ${g.evaluations.join(", ")})`)
      for (const r of g.report.results) yield* Console.log(`  ${formatResult(g.grader, r)}`)
    }
    const now = new Date(yield* Clock.currentTimeMillis).toISOString()
    const id = `graders-${now.replace(/[-:.]/g, "")}-${sha256Hex(`${args.audit}|${now}`).slice(0, 6)}`
    yield* Effect.flatMap(AuditStore, (store) => store.saveGraderChecks(id, graderScores(reports))).pipe(Effect.provide(layerSqlite(args.db)))
    const failed = reports.filter((g) => !g.report.passed).length
    yield* Console.log(`\n${plural(reports.length, "grader")} checked, ${failed} with faults; stored as ${id} in ${args.db} (table grader_checks)`)
    if (failed > 0) return yield* new GraderFaultsFound({ message: `${failed} of ${plural(reports.length, "grader")} ${failed === 1 ? "fails" : "fail"} the battery` })
  })
).pipe(Command.withDescription("run the grader property battery over every grader of an audit (exit 1 if any grader has a fault)"))
