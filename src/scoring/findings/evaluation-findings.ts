/** Findings about evaluations: misses and false alarms per organism, skipped records, errored cells. */
import type { ResolvedEvaluation } from "../../domain/evaluation.js"
import { type MeasuredQuantity, measuredOf } from "../../domain/measured-truth.js"
import type { CellResult } from "../../domain/outcome.js"
import type { Judged, Verdict } from "../judge.js"
import type { Finding } from "../../domain/summary.js"
import { groupBy, round } from "../outcome-counts.js"
import type { ScoringInput, Scope } from "../scoring-input.js"
import { finding } from "./finding.js"

/** What the replicates with this verdict measured, ascending: the values a sentence quotes beside the rule. */
const measuredWhere = (judged: ReadonlyArray<Judged>, verdict: Verdict): ReadonlyArray<number> =>
  judged.flatMap((j) => (j.verdict === verdict && j.measured !== undefined ? [round(j.measured)] : [])).sort((a, b) => a - b)

/** Borderline and precautionary decisions are neither misses nor false alarms, so they raise no finding. */
const organismFindings = (
  evaluation: ResolvedEvaluation,
  organism: string,
  own: ReadonlyArray<CellResult>,
  judged: ReadonlyArray<Judged>,
  measuredTruth: ReadonlyArray<MeasuredQuantity>
): ReadonlyArray<Finding> => {
  const truthCell = own.find((c) => c._tag === "Measured")
  if (truthCell?._tag !== "Measured") return []
  const truth = round(truthCell.truth)
  const calibrated = measuredOf(measuredTruth, evaluation.measures)
  const interval = calibrated === undefined ? {} : { truthInterval: { lower: round(calibrated.lower), upper: round(calibrated.upper) } }
  const missed = measuredWhere(judged, "missed")
  const fired = measuredWhere(judged, "false-alarm")
  const replicates = own.length
  return [
    ...(missed.length === 0
      ? []
      : [
        finding(missed.length * 2 >= replicates ? "high" : "medium", evaluation.id, organism, {
          _tag: "EvaluationMiss",
          missed: missed.length,
          replicates,
          measured: missed,
          truth,
          ...interval,
          rule: evaluation.decision
        })
      ]),
    ...(fired.length === 0
      ? []
      : [finding("medium", evaluation.id, organism, { _tag: "EvaluationFalseAlarm", fired: fired.length, replicates, measured: fired, truth, ...interval, rule: evaluation.decision })])
  ]
}

/** Per evaluation, in the audit's order: each scored organism's miss and false alarm, then skipped records, then errors. */
export const evaluationFindings = ({ audit, cells }: ScoringInput, scope: Scope): ReadonlyArray<Finding> => {
  const byEvaluation = groupBy(cells.filter((c) => scope.scored.has(c.organism)), (c) => c.evaluation)
  return audit.evaluations.flatMap((evaluation) => {
    const own = byEvaluation.get(evaluation.id) ?? []
    const byOrganism = groupBy(own, (c) => c.organism)
    const judgedBy = groupBy(scope.judged.evaluations.get(evaluation.id) ?? [], (j) => j.organism)
    const measuredTruth = new Map(scope.profiles.map((p) => [p.id, p.measuredTruth]))
    const skipped = evaluation.dataset.origin?.skipped ?? 0
    const errored = own.filter((c) => c._tag === "Errored").length
    return [
      ...scope.ordered.flatMap((o) => organismFindings(evaluation, o, byOrganism.get(o) ?? [], judgedBy.get(o) ?? [], measuredTruth.get(o) ?? [])),
      ...(skipped > 0 ? [finding("medium", evaluation.id, null, { _tag: "SkippedRecords", skipped, source: evaluation.dataset.source })] : []),
      ...(errored > 0 ? [finding("medium", evaluation.id, null, { _tag: "ErroredCells", errored })] : [])
    ]
  })
}
