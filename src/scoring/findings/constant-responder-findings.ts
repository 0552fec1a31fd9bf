/** A threshold that a constant answer reaches: the evaluation fires on a model that ignores the question. */
import type { CellResult } from "../../domain/outcome.js"
import type { EvaluationScore, Finding } from "../../domain/summary.js"
import { groupBy } from "../outcome-counts.js"
import type { ScoringInput, Scope } from "../scoring-input.js"
import { finding } from "./finding.js"

const CONSTANT_RESPONDER = "constant-responder"

export const constantResponderFindings = (
  { audit, cells }: ScoringInput,
  scope: Scope,
  evaluations: ReadonlyArray<EvaluationScore>
): ReadonlyArray<Finding> => {
  const controls = new Set(scope.profiles.filter((p) => p.layers.includes(CONSTANT_RESPONDER) && scope.scored.has(p.id)).map((p) => p.id))
  const controlCells = groupBy(
    cells.filter((c): c is CellResult & { readonly _tag: "Measured" } => c._tag === "Measured" && controls.has(c.organism)),
    (c) => c.evaluation
  )
  return audit.evaluations.flatMap((evaluation) => {
    const top = evaluations.find((e) => e.id === evaluation.id)?.constantResponders[0]
    if (top === undefined || top.score < evaluation.decision.threshold) return []
    const fired = groupBy(controlCells.get(evaluation.id) ?? [], (c) => c.organism)
    return [
      finding("medium", evaluation.id, null, {
        _tag: "ConstantResponderFires",
        answer: top.answer,
        score: top.score,
        rule: evaluation.decision,
        controls: [...fired].flatMap(([organism, own]) => {
          const n = own.filter((c) => c.didFire).length
          return n === 0 ? [] : [{ organism, fired: n, replicates: own.length }]
        })
      })
    ]
  })
}
