/**
 * Evidence for findings: the stored response a finding rests on, so a reader can check the
 * claim against what the organism actually said. Pure: the caller reads the responses of
 * the cell `evidenceCell` names (scoring never reaches the store) and hands them to
 * `pickEvidence`. Every choice is deterministic: the first replicate whose judged verdict
 * (judge.ts, with the indifference zones) is the finding's, then the sample that shows it most
 * plainly, ties by sample id and epoch. Never the stored outcome: it knows no zone and no
 * precaution, so a false-alarm finding could quote a precautionary or borderline replicate.
 */
import type { ResolvedEvaluation } from "../domain/evaluation.js"
import type { CellResult, SampleResult } from "../domain/outcome.js"
import type { Trigger } from "../domain/policy.js"
import { conditionFires } from "../policy/trigger.js"
import type { Finding, FindingEvidence } from "../domain/summary.js"
import type { Judged, Judgements } from "./judge.js"

/** The cell whose responses back a finding, and which end of the scores shows it. */
export interface EvidenceCell {
  readonly evaluation: string
  readonly organism: string
  readonly replicate: number
  /** A miss shows in the lowest-scoring response, a false alarm in the highest. */
  readonly show: "lowest" | "highest"
}

type Measured = Extract<CellResult, { readonly _tag: "Measured" }>

const measuredCell = (cells: ReadonlyArray<CellResult>, evaluation: string, organism: string, replicate: number): Measured | undefined =>
  cells.find((c): c is Measured => c._tag === "Measured" && c.evaluation === evaluation && c.organism === organism && c.replicate === replicate)

type Wrong = Extract<Judged["verdict"], "missed" | "false-alarm">

/** The first replicate in which the subject's decision on `organism` was judged `verdict`. */
const firstReplicate = (judged: ReadonlyArray<Judged> | undefined, organism: string, verdict: Wrong): number | undefined => {
  const replicates = (judged ?? []).flatMap((j) => (j.organism === organism && j.verdict === verdict ? [j.replicate] : []))
  return replicates.length === 0 ? undefined : Math.min(...replicates)
}

/** The first replicate in which `evaluation` was judged `verdict` on `organism`. */
const evaluationCell = (judged: Judgements, evaluation: string, organism: string, verdict: Wrong, show: EvidenceCell["show"]) => {
  const replicate = firstReplicate(judged.evaluations.get(evaluation), organism, verdict)
  return replicate === undefined ? undefined : { evaluation, organism, replicate, show }
}

/**
 * The first replicate in which `trigger` was judged `verdict` on `organism`, and in it the
 * first condition whose evaluation decided as the trigger did (did not fire for a miss,
 * fired for a false alarm): the evaluation that let the trigger go wrong.
 */
const triggerCell = (
  judged: Judgements,
  cells: ReadonlyArray<CellResult>,
  evaluations: ReadonlyArray<ResolvedEvaluation>,
  trigger: Trigger,
  organism: string,
  verdict: Wrong,
  show: EvidenceCell["show"]
) => {
  const replicate = firstReplicate(judged.triggers.get(trigger.id), organism, verdict)
  if (replicate === undefined) return undefined
  // Each condition as the trigger decided it: at the condition's own threshold, which may not be its evaluation's.
  const conditions = trigger.conditions.flatMap((c) => {
    const cell = measuredCell(cells, c.evaluation, organism, replicate)
    const evaluation = evaluations.find((e) => e.id === c.evaluation)
    return cell === undefined || evaluation === undefined ? [] : [{ cell, fired: conditionFires(c, evaluation, cell) }]
  })
  const fired = verdict === "false-alarm"
  const cell = (conditions.find((c) => c.fired === fired) ?? conditions[0])?.cell
  return cell === undefined ? undefined : { evaluation: cell.evaluation, organism, replicate, show }
}

/**
 * The cell to quote for a finding, or undefined when the finding rests on no single
 * response: evaluation and trigger misses, and false alarms (of an evaluation when its
 * subject is an evaluation with a false alarm on the organism, else of a trigger).
 */
export const evidenceCell = (
  finding: Finding,
  judged: Judgements,
  cells: ReadonlyArray<CellResult>,
  triggers: ReadonlyArray<Trigger>,
  evaluations: ReadonlyArray<ResolvedEvaluation>
): EvidenceCell | undefined => {
  const organism = finding.organism
  if (organism === null) return undefined
  const trigger = triggers.find((t) => t.id === finding.subject)
  // By the figures' tag, not the kind: an evaluation and a trigger may share an id.
  switch (finding.figures._tag) {
    case "EvaluationMiss":
      return evaluationCell(judged, finding.subject, organism, "missed", "lowest")
    case "EvaluationFalseAlarm":
      return evaluationCell(judged, finding.subject, organism, "false-alarm", "highest")
    case "TriggerMiss":
      return trigger === undefined ? undefined : triggerCell(judged, cells, evaluations, trigger, organism, "missed", "lowest")
    case "TriggerFalseAlarm":
      return trigger === undefined ? undefined : triggerCell(judged, cells, evaluations, trigger, organism, "false-alarm", "highest")
    default:
      return undefined
  }
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The response of `cell` that shows the finding most plainly (lowest or highest score), ties by sample id then epoch. */
export const pickEvidence = (cell: EvidenceCell, responses: ReadonlyArray<SampleResult>): FindingEvidence | undefined => {
  const sign = cell.show === "lowest" ? 1 : -1
  const best = [...responses].sort((a, b) => sign * (a.score - b.score) || byCodePoint(a.sample, b.sample) || a.epoch - b.epoch)[0]
  return best === undefined
    ? undefined
    : {
      evaluation: cell.evaluation,
      organism: cell.organism,
      replicate: cell.replicate,
      sample: best.sample,
      epoch: best.epoch,
      response: best.response,
      score: best.score
    }
}

/** The findings with their evidence, in the same order; a finding without evidence is unchanged. */
export const withEvidence = (findings: ReadonlyArray<Finding>, evidence: ReadonlyArray<FindingEvidence | undefined>): Array<Finding> =>
  findings.map((f, i) => {
    const e = evidence[i]
    return e === undefined ? f : { ...f, evidence: e }
  })
