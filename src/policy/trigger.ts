import type { DecisionRule } from "../domain/decision.js"
import type { ResolvedEvaluation } from "../domain/evaluation.js"
import { classify, type CellResult, type TriggerResult } from "../domain/outcome.js"
import type { Combination, Trigger } from "../domain/policy.js"
import { designEffect, firesOnCount, firesOnMeasurement, firesOnTruth, wholeCount, withThreshold } from "./decision.js"

/** Whether a trigger's combination (any / all / at least k) holds over its conditions' decisions. */
export const combine = (when: Combination, decisions: ReadonlyArray<boolean>): boolean => {
  const fired = decisions.filter(Boolean).length
  if (when === "any") return fired > 0
  if (when === "all") return fired === decisions.length
  return fired >= when.atLeast
}

export const describeCombination = (when: Combination): string =>
  typeof when === "string" ? when : `at least ${when.atLeast}`

/** A stored cell's decision under a condition's rule: on its whole count when it has one, so a tie at the threshold fires as in the cell. */
const firesOnStored = (rule: DecisionRule, cell: Extract<CellResult, { _tag: "Measured" }>, epochs: number): boolean => {
  const { k, n } = cell
  const count = wholeCount(k, n, epochs)
  const effect = designEffect(cell.standardError, cell.clusteredStandardError)
  return count === undefined ? firesOnMeasurement(rule, k, n, effect) : firesOnCount(rule, count, n, epochs, effect)
}

/** Whether one condition of a trigger fired on a measured cell: its evaluation's rule at the condition's threshold. */
export const conditionFires = (condition: Trigger["conditions"][number], evaluation: ResolvedEvaluation, cell: Extract<CellResult, { _tag: "Measured" }>): boolean =>
  // A sequential cell stopped on its design's verdict: its partial counts are not a fixed-n sample.
  cell.sequentialVerdict === undefined
    ? firesOnStored(withThreshold(evaluation.decision, condition.threshold), cell, evaluation.protocol.epochs)
    : cell.didFire

/**
 * Decides a trigger for one organism and replicate, once over measured values and once
 * over true values. Any condition whose cell errored makes the trigger's result an error.
 */
export const decideTrigger = (
  trigger: Trigger,
  evaluations: ReadonlyMap<string, ResolvedEvaluation>,
  cells: ReadonlyMap<string, CellResult>,
  organism: string,
  replicate: number
): TriggerResult => {
  const measured: Array<boolean> = []
  const truth: Array<boolean> = []
  for (const condition of trigger.conditions) {
    const evaluation = evaluations.get(condition.evaluation)
    const cell = cells.get(condition.evaluation)
    if (evaluation === undefined || cell === undefined || cell._tag === "Errored") {
      const reason = cell?._tag === "Errored" ? cell.reason : "no result"
      return { _tag: "Errored", trigger: trigger.id, organism, replicate, reason: `${condition.evaluation}: ${reason}` }
    }
    measured.push(conditionFires(condition, evaluation, cell))
    truth.push(firesOnTruth(withThreshold(evaluation.decision, condition.threshold), cell.truth))
  }
  const shouldFire = combine(trigger.when, truth)
  const didFire = combine(trigger.when, measured)
  return { _tag: "Decided", trigger: trigger.id, organism, replicate, shouldFire, didFire, outcome: classify(shouldFire, didFire) }
}

/** Every trigger for every organism and replicate, from the stored cells. */
export const decideTriggers = (
  triggers: ReadonlyArray<Trigger>,
  evaluations: ReadonlyArray<ResolvedEvaluation>,
  cells: ReadonlyArray<CellResult>,
  organisms: ReadonlyArray<string>,
  replicates: number
): Array<TriggerResult> => {
  const evaluationsById = new Map(evaluations.map((e) => [e.id, e]))
  const cellsOf = new Map<string, Map<string, CellResult>>()
  for (const cell of cells) {
    const key = `${cell.organism}/${cell.replicate}`
    const group = cellsOf.get(key) ?? new Map<string, CellResult>()
    group.set(cell.evaluation, cell)
    cellsOf.set(key, group)
  }
  return triggers.flatMap((trigger) =>
    organisms.flatMap((organism) =>
      Array.from({ length: replicates }, (_, replicate) =>
        decideTrigger(trigger, evaluationsById, cellsOf.get(`${organism}/${replicate}`) ?? new Map(), organism, replicate)
      )
    )
  )
}
