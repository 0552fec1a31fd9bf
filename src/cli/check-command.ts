import { Args, Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Console, Effect, Either, Option } from "effect"
import { encodeAudit } from "../audit/spec-hash.js"
import type { ResolvedAudit } from "../domain/audit.js"
import { GateJudgement, type GateSettings } from "../domain/gate.js"
import type { Summary } from "../domain/summary.js"
import { evaluateGate, gateProblems, type GateSubjects } from "../gate/evaluate-gate.js"
import { gateFromFlags, gateOfSpecJson, mergeGate } from "../gate/gate-flags.js"
import { formatGateReport } from "../gate/format-gate.js"
import { summarizeRun } from "../audit/run-audit.js"
import { layerSqlite } from "../store/audit-store.js"
import { consoleSummary } from "./console-table.js"
import { executeAudit, failIfIncomplete, loadAuditForRun } from "./execute-audit.js"
import { GateFailed } from "./gate-failed.js"
import { formatWritten } from "./output-paths.js"
import { choice } from "./option-kinds.js"
import * as Shared from "./shared-options.js"
import { UsageError } from "./usage-error.js"

const target = Args.text({ name: "run-or-audit" }).pipe(
  Args.withDescription(`a run id in the store (--db), or an audit file to run first and gate: ${Shared.AUDIT_FILE_KINDS}`)
)
const minSensitivity = Options.text("min-sensitivity").pipe(
  Options.repeated,
  Options.withDescription(
    "minimum sensitivity, judged on the relevant organisms' mean detection (the memo's headline; --pooled-sensitivity for the pooled figure): VALUE (every trigger and evaluation), triggers=VALUE, evaluations=VALUE, trigger:ID=VALUE or evaluation:ID=VALUE; repeatable"
  )
)
const maxFalseAlarm = Options.text("max-false-alarm").pipe(
  Options.repeated,
  Options.withDescription("maximum false alarm rate (1 - specificity), in the same forms as --min-sensitivity; repeatable")
)
const noEscapes = Options.boolean("no-escapes").pipe(
  Options.withDescription("fail if any organism escapes the policy (no trigger that should fire fires) or a trigger, in any replicate")
)
const noEscapesFor = Options.text("no-escapes-for").pipe(
  Options.repeated,
  Options.withDescription("the same for this organism only; repeatable")
)
const maxEscapeProbability = Options.text("max-escape-probability").pipe(
  Options.optional,
  Options.withDescription(
    "instead of none in any replicate: fail if an organism's probability of escaping the policy or a trigger exceeds VALUE (its upper bound unless --on point); the organisms of --no-escapes-for, else all"
  )
)
const pooledSensitivity = Options.boolean("pooled-sensitivity").pipe(
  Options.withDescription("--min-sensitivity judges the pooled sensitivity over every organism and replicate instead of the relevant organisms' mean detection")
)
const noGraderFaults = Options.boolean("no-grader-faults").pipe(Options.withDescription("fail if a grader fails the property battery, or the battery did not run"))
const noErrors = Options.boolean("no-errors").pipe(Options.withDescription("fail if any cell errored"))
const on = choice("on", GateJudgement.literals).pipe(
  Options.optional,
  Options.withDescription("bound (default): minimums on lower, maximums on upper interval bounds; point: point estimates")
)

const AUDIT_FILE = /\.(ts|mts|js|mjs|ya?ml|json)$/

/** A run or an audit? A name with an audit file's extension, or an existing file, is an audit. */
const isAuditFile = (text: string) =>
  Effect.gen(function* () {
    if (AUDIT_FILE.test(text)) return true
    const fs = yield* FileSystem.FileSystem
    return yield* fs.stat(text).pipe(
      Effect.map((info) => info.type === "File"),
      Effect.orElseSucceed(() => false)
    )
  })

const subjectsOf = (audit: ResolvedAudit): GateSubjects => ({
  evaluations: audit.evaluations.map((e) => e.id),
  triggers: (audit.policy?.triggers ?? []).map((t) => t.id),
  organisms: [...audit.organisms, ...audit.promptedOrganisms].map((o) => o.id)
})

const usage = (message: string) => new UsageError({ message })

/** The gate to apply: the spec's own `gate` section under the command line's flags, checked against the spec's ids. */
const settingsFor = (specJson: string, audit: ResolvedAudit, cli: GateSettings, where: string) =>
  Effect.gen(function* () {
    const fromSpec = yield* Either.mapLeft(gateOfSpecJson(specJson), (m) => usage(`${where}: ${m}`))
    const settings = mergeGate(fromSpec, cli)
    const problems = gateProblems(subjectsOf(audit), settings)
    if (problems.length > 0) return yield* usage(`gate of ${where}: ${problems.join("; ")}`)
    return settings
  })

const gate = (summary: Summary, settings: GateSettings) =>
  Effect.gen(function* () {
    const report = evaluateGate(summary, settings)
    yield* Console.log(formatGateReport(report, summary.runId))
    const failed = report.checks.filter((c) => c.verdict === "FAIL").length
    if (failed > 0) return yield* new GateFailed({ message: `check failed: ${failed} of ${report.checks.length} gate rules failed for run ${summary.runId}` })
  })

const options = {
  ...Shared.executeOptions,
  minSensitivity,
  maxFalseAlarm,
  noEscapes,
  noEscapesFor,
  maxEscapeProbability,
  pooledSensitivity,
  noGraderFaults,
  noErrors,
  on
}

type CheckArgs = Command.Command.ParseConfig<typeof options> & { readonly target: string }

/** Gates a run already in the store, under the gate section of the spec it was made from. */
const checkStoredRun = (args: CheckArgs, cli: GateSettings) =>
  Effect.gen(function* () {
    // These shape a new run; a stored run has its own, so taking them silently would mislead.
    const given: ReadonlyArray<readonly [string, boolean]> = [
      ["--seed", Option.isSome(args.seed)],
      ["--replicates", Option.isSome(args.replicates)],
      ["--run-id", Option.isSome(args.runId)],
      ["--json", Option.isSome(args.json)]
    ]
    const runOnly = given.filter(([, isGiven]) => isGiven).map(([flag]) => flag)
    if (runOnly.length > 0) return yield* usage(`${runOnly.join(", ")} apply only when checking an audit file, not run ${args.target}`)
    const { run, audit, summary } = yield* summarizeRun(args.target).pipe(Effect.provide(layerSqlite(args.db, { mustExist: true })))
    const settings = yield* settingsFor(run.specJson, audit, cli, `run ${run.id}`)
    return yield* gate(summary, settings)
  })

/** Runs an audit file as `run` does, then gates the fresh run; the gate is validated before anything runs. */
const checkAuditFile = (args: CheckArgs, cli: GateSettings) =>
  Effect.gen(function* () {
    const spec = yield* loadAuditForRun(args.target, args)
    // A decoded audit always encodes (the store relies on it), so a failure here is a bug.
    const specJson = yield* Effect.orDie(encodeAudit(spec))
    const settings = yield* settingsFor(specJson, spec, cli, args.target)
    const { report, written } = yield* executeAudit(spec, args, args.target)
    yield* Console.log(`${consoleSummary(report.summary)}\n\n${formatWritten(written, args.db)}\n`)
    yield* failIfIncomplete(report)
    return yield* gate(report.summary, settings)
  })

export const checkCommand = Command.make(
  "check",
  { target, ...options },
  Effect.fn("check")(function* (args) {
    const cli = yield* Either.mapLeft(gateFromFlags({ ...args, on: Option.getOrUndefined(args.on), maxEscapeProbability: Option.getOrUndefined(args.maxEscapeProbability) }), usage)
    return yield* (yield* isAuditFile(args.target)) ? checkAuditFile(args, cli) : checkStoredRun(args, cli)
  })
).pipe(
  Command.withDescription(
    "CI gate: judge a stored run, or a fresh run of an audit file, against thresholds from the audit's gate section and the flags (flags win). " +
      "Prints one PASS/FAIL line per rule and a verdict. Exit codes: 0 every rule met, 1 a rule failed (or the run itself failed), 2 bad input (unknown run, invalid audit, unknown id in a threshold, no rules)."
  )
)
