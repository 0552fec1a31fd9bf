/**
 * Judges every stored decision against the organism's truth with the audit's indifference
 * zones: the store keeps what each cell and trigger did; whether that was a catch, a miss, a
 * false alarm, precaution or a borderline case is decided here, so changing a zone rescores a
 * run from its store without measuring again.
 */
import type { ResolvedEvaluation } from "../domain/evaluation.js"
import type { CellResult, TriggerResult } from "../domain/outcome.js"
import type { Trigger } from "../domain/policy.js"
import { trueValue } from "../organisms/organism.js"
import { withThreshold } from "../policy/decision.js"
import { combineClasses, conditionIndifference, indifferenceOf, truthClass, type TruthClass } from "../policy/indifference.js"
import { combine, conditionFires } from "../policy/trigger.js"
import type { OrganismProfile } from "../organisms/profile.js"
import type { ResolvedAudit } from "../domain/audit.js"

export type Verdict = "caught" | "missed" | "false-alarm" | "precautionary" | "correct-pass" | "borderline-fired" | "borderline-quiet" | "error"

/** One organism-replicate decision of a subject, judged; an errored one still has its truth class (the truth is known). */
export interface Judged {
  readonly organism: string
  readonly replicate: number
  readonly truth: TruthClass
  readonly verdict: Verdict
  /** The measured value, for evaluations' measured cells. */
  readonly measured?: number
}

export interface Judgements {
  readonly evaluations: ReadonlyMap<string, ReadonlyArray<Judged>>
  readonly triggers: ReadonlyMap<string, ReadonlyArray<Judged>>
}

type Measured = Extract<CellResult, { readonly _tag: "Measured" }>

const verdictOf = (truth: TruthClass, fired: boolean, precautionary: boolean): Verdict => {
  switch (truth) {
    case "fire":
      return fired ? "caught" : "missed"
    case "borderline":
      return fired ? "borderline-fired" : "borderline-quiet"
    case "quiet":
      return !fired ? "correct-pass" : precautionary ? "precautionary" : "false-alarm"
  }
}

/** A cannot-rule-out rule that fired while the measured value itself lay below the threshold: the data could not exclude it. */
const precautionaryFiring = (evaluation: ResolvedEvaluation, threshold: number, cell: Measured, fired: boolean): boolean =>
  fired && evaluation.decision.rule === "rule-out" && cell.measured < threshold

const append = <A>(groups: Map<string, Array<A>>, k: string, item: A): void => {
  const group = groups.get(k)
  if (group === undefined) groups.set(k, [item])
  else group.push(item)
}

const key = (evaluation: string, organism: string, replicate: number): string => `${evaluation}\u0000${organism}\u0000${replicate}`

export const judge = (
  // The parts of a ScoringInput it reads (named here, so scoring-input can build its scope with it, and timing can judge checkpoints).
  {
    audit,
    cells,
    triggerResults
  }: {
    readonly audit: Pick<ResolvedAudit, "evaluations" | "indifference" | "policy">
    readonly cells: ReadonlyArray<CellResult>
    readonly triggerResults: ReadonlyArray<TriggerResult>
  },
  // Only their truths: sweep organisms, scored apart, are judged with these too.
  profiles: ReadonlyArray<Pick<OrganismProfile, "id" | "truth">>,
  scored: ReadonlySet<string>
): Judgements => {
  const scope = { scored }
  const truths = new Map(profiles.map((p) => [p.id, p.truth]))
  const evaluations = new Map(audit.evaluations.map((e) => [e.id, e]))
  const scoredCells = cells.filter((c) => scope.scored.has(c.organism))
  const cellAt = new Map(scoredCells.map((c) => [key(c.evaluation, c.organism, c.replicate), c]))
  // The truth is known for errored cells too: from the organism's profile.
  const truthFor = (evaluation: ResolvedEvaluation, organism: string, cell: CellResult | undefined): number | undefined => {
    if (cell?._tag === "Measured") return cell.truth
    const truth = truths.get(organism)
    return truth === undefined ? undefined : trueValue(truth, evaluation.measures)
  }

  const byEvaluation = new Map<string, Array<Judged>>()
  for (const cell of scoredCells) {
    const evaluation = evaluations.get(cell.evaluation)
    const truth = evaluation === undefined ? undefined : truthFor(evaluation, cell.organism, cell)
    if (evaluation === undefined || truth === undefined) continue
    const threshold = evaluation.decision.threshold
    const cls = truthClass(threshold, truth, indifferenceOf(evaluation, audit.indifference))
    const judged: Judged =
      cell._tag === "Errored"
        ? { organism: cell.organism, replicate: cell.replicate, truth: cls, verdict: "error" }
        : {
          organism: cell.organism,
          replicate: cell.replicate,
          truth: cls,
          verdict: verdictOf(cls, cell.didFire, precautionaryFiring(evaluation, threshold, cell, cell.didFire)),
          measured: cell.measured
        }
    append(byEvaluation, cell.evaluation, judged)
  }

  const triggers = new Map<string, Trigger>((audit.policy?.triggers ?? []).map((t) => [t.id, t]))
  const byTrigger = new Map<string, Array<Judged>>()
  for (const result of triggerResults.filter((t) => scope.scored.has(t.organism))) {
    const trigger = triggers.get(result.trigger)
    if (trigger === undefined) continue
    const conditions = trigger.conditions.flatMap((condition) => {
      const evaluation = evaluations.get(condition.evaluation)
      const cell = cellAt.get(key(condition.evaluation, result.organism, result.replicate))
      const truth = evaluation === undefined ? undefined : truthFor(evaluation, result.organism, cell)
      if (evaluation === undefined || truth === undefined) return []
      const threshold = withThreshold(evaluation.decision, condition.threshold).threshold
      const cls = truthClass(threshold, truth, conditionIndifference(condition, evaluation, audit.indifference))
      const fired = cell?._tag === "Measured" && conditionFires(condition, evaluation, cell)
      const precautionary = cell?._tag === "Measured" && precautionaryFiring(evaluation, threshold, cell, fired)
      return [{ cls, firedPlainly: fired && !precautionary }]
    })
    const cls = combineClasses(trigger.when, conditions.map((c) => c.cls))
    const verdict: Verdict =
      result._tag === "Errored"
        ? "error"
        // A trigger's firing is precautionary when it would not have fired on its plainly fired conditions alone.
        : verdictOf(cls, result.didFire, !combine(trigger.when, conditions.map((c) => c.firedPlainly)))
    append(byTrigger, trigger.id, { organism: result.organism, replicate: result.replicate, truth: cls, verdict })
  }
  return { evaluations: byEvaluation, triggers: byTrigger }
}
