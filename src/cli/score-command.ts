import { Args, Command } from "@effect/cli"
import { Console, Effect, Layer, Option } from "effect"
import type { ScorerAudit } from "../domain/harness.js"
import { evaluateGate, gateProblems } from "../gate/evaluate-gate.js"
import { formatGateReport } from "../gate/format-gate.js"
import { loadAudit } from "../audit/load-audit.js"
import { placeLogs, scoreLogs } from "../harness/score-logs.js"
import { scoringSpec } from "../harness/scoring-spec.js"
import { Providers } from "../measure/providers.js"
import { layerSqlite } from "../store/audit-store.js"
import { consoleSummary } from "./console-table.js"
import { GateFailed } from "./gate-failed.js"
import { formatWritten } from "./output-paths.js"
import * as Shared from "./shared-options.js"
import { forTerminal } from "./terminal.js"
import { UsageError } from "./usage-error.js"
import { writeOutputs } from "./write-outputs.js"

const audit = Args.file({ name: "audit", exists: "yes" }).pipe(Args.withDescription("the audit whose evaluations and organisms the harness ran"))
const logs = Args.file({ name: "logs", exists: "yes" }).pipe(
  Args.repeated,
  Args.withDescription("harness logs: Inspect .eval or .json logs, promptfoo results .json (promptfoo eval -o results.json)")
)

const NOTES_SHOWN = 10

const rate = (p: ScorerAudit["falseFail"]): string =>
  p.estimate === null ? `n/a (0/0)` : `${p.estimate.toFixed(3)} (${p.k}/${p.n}) [${p.lower.toFixed(3)}, ${p.upper.toFixed(3)}]`

/** One line per evaluation: how often the harness's scorer disagreed with the organisms' intent, each way. */
const scorerLines = (scorers: ReadonlyArray<ScorerAudit>): string =>
  scorers.length === 0
    ? "scorer audit: no answer with a known intent"
    : [
      `scorer audit (limit on either error rate's lower bound):`,
      ...scorers.map(
        (s) =>
          `  ${forTerminal(s.evaluation)}: meant correct, scored wrong ${rate(s.falseFail)}; meant wrong, scored correct ${rate(s.falsePass)}: ${s.faulty ? `FAULT (above ${s.maxErrorRate})` : "ok"}`
      )
    ].join("\n")

export const scoreCommand = Command.make(
  "score",
  { audit, logs, db: Shared.db, out: Shared.out, json: Shared.json, seed: Shared.seed },
  Effect.fn("score")(function* (args) {
    if (args.logs.length === 0) return yield* new UsageError({ message: "score needs at least one harness log" })
    // Everything is read and checked before the store or the output folder is touched: bad input writes nothing.
    const seed = Option.getOrUndefined(args.seed)
    const spec = yield* loadAudit(args.audit, { seed })
    const read = yield* placeLogs(spec, args.logs)
    const gate = spec.gate
    if (gate !== undefined) {
      const narrowed = scoringSpec(spec, new Set(read.placed.map((p) => p.evaluation.id)), new Set(read.placed.map((p) => p.organism.id)), 1).spec
      const problems = gateProblems(
        { evaluations: narrowed.evaluations.map((e) => e.id), triggers: (narrowed.policy?.triggers ?? []).map((t) => t.id), organisms: narrowed.organisms.map((o) => o.id) },
        gate
      )
      if (problems.length > 0) return yield* new UsageError({ message: `gate of ${args.audit} (as scored from these logs): ${problems.join("; ")}` })
    }
    const report = yield* scoreLogs(spec, read, { seed: seed ?? spec.seed, command: process.argv.slice(2).join(" ") }).pipe(
      // simulated organisms only: no provider is ever called
      Effect.provide(Layer.merge(layerSqlite(args.db), Providers.none))
    )
    const written = yield* writeOutputs(report.summary, args.out, Option.getOrUndefined(args.json))
    yield* Console.log(consoleSummary(report.summary))
    yield* Console.log(`\n${scorerLines(report.summary.harness?.scorers ?? [])}`)
    const notes = report.notes
    if (notes.length > 0) {
      yield* Console.log(`\nnot scored (${notes.length}):\n${notes.slice(0, NOTES_SHOWN).map((n) => `  ${forTerminal(n, 300)}`).join("\n")}${notes.length > NOTES_SHOWN ? `\n  ... and ${notes.length - NOTES_SHOWN} more` : ""}`)
    }
    yield* Console.log(`\nrun ${report.run.id}: scored from ${read.logs.length} harness ${read.logs.length === 1 ? "log" : "logs"}, ${read.placed.length} answers`)
    yield* Console.log(formatWritten(written, args.db))
    if (gate === undefined) return
    const verdict = evaluateGate(report.summary, gate)
    yield* Console.log(formatGateReport(verdict, report.summary.runId))
    const failed = verdict.checks.filter((c) => c.verdict === "FAIL").length
    if (failed > 0) return yield* new GateFailed({ message: `gate failed: ${failed} of ${verdict.checks.length} rules failed for run ${report.run.id}` })
  })
).pipe(
  Command.withDescription(
    "score a harness's own logs (Inspect .eval/.json, promptfoo results) against the audit: the harness's scores as the measured cells, the audit's rules and triggers, " +
      "and an audit of the harness's scorer against the organisms' intent; writes the usual store, memos and summary, and applies the audit's gate (exit 1 if it fails)"
  )
)
