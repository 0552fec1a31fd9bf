import type { ResolvedAudit } from "../domain/audit.js"
import type { ResolvedEvaluation } from "../domain/evaluation.js"
import { isBuiltIn } from "../domain/grader.js"
import { measureLabel } from "../domain/measure.js"
import type { OrganismSpec } from "../domain/organism.js"
import type { CellResult } from "../domain/outcome.js"
import type { Trigger } from "../domain/policy.js"
import { simulate, trueValue } from "../organisms/organism.js"
import { firesOnTruth, withThreshold } from "../policy/decision.js"
import { combineClasses, conditionIndifference, indifferenceOf, truthClass, type TruthClass } from "../policy/indifference.js"
import { decideTriggers } from "../policy/trigger.js"
import { measureInProcess, prepareEvaluation, type PreparedEvaluation } from "../measure/measure-cell.js"
import { simulatedRespondent } from "../measure/respondent.js"

/** Which subjects the property checks: the policy's triggers, the evaluations, or both. */
export type SearchScope = "all" | "triggers" | "evaluations"

/** An audit prepared for the search: prompts rendered once, judge-graded evaluations set aside. */
export interface SearchTarget {
  readonly evaluations: ReadonlyArray<PreparedEvaluation>
  readonly triggers: ReadonlyArray<Trigger>
  /** The run's seed: it keys the measurement draws, as in a run. */
  readonly seed: number
  readonly replicates: number
  readonly scope: SearchScope
  /** The audit-wide indifference half-width: a truth inside a subject's zone is borderline, never an escape (as in scoring). */
  readonly indifference: number | undefined
  /** Evaluations and triggers the search cannot run in-process (a judge grader needs a provider). */
  readonly skipped: ReadonlyArray<string>
}

export const searchTarget = (
  audit: ResolvedAudit,
  options: { readonly replicates?: number | undefined; readonly scope?: SearchScope | undefined; readonly seed?: number | undefined } = {}
): SearchTarget => {
  const runnable = audit.evaluations.filter((e) => isBuiltIn(e.grader))
  const ids = new Set(runnable.map((e) => e.id))
  const triggers = audit.policy?.triggers ?? []
  const usable = triggers.filter((t) => t.conditions.every((c) => ids.has(c.evaluation)))
  const replicates = options.replicates ?? 3
  if (!(Number.isInteger(replicates) && replicates >= 1)) throw new RangeError(`replicates must be a positive integer, got ${replicates}`)
  return {
    evaluations: runnable.map(prepareEvaluation),
    triggers: usable,
    seed: options.seed ?? audit.seed,
    replicates,
    scope: options.scope ?? "all",
    indifference: audit.indifference,
    skipped: [
      ...audit.evaluations.filter((e) => !ids.has(e.id)).map((e) => `evaluation ${e.id}`),
      ...triggers.filter((t) => !usable.includes(t)).map((t) => `trigger ${t.id}`)
    ]
  }
}

/** One condition of a subject: its threshold, the organism's true value and what each replicate measured. */
export interface ConditionValues {
  readonly evaluation: string
  readonly threshold: number
  readonly truth: number
  readonly measured: ReadonlyArray<number>
}

/** What one trigger or evaluation decided on the organism over the replicates. */
export interface SubjectVerdict {
  readonly kind: "trigger" | "evaluation"
  readonly id: string
  /** What the truth calls for, judged as scoring judges it (policy/indifference.ts). */
  readonly truth: TruthClass
  /** `truth` is "fire": the truth lies above the threshold and outside its indifference zone. */
  readonly shouldFire: boolean
  /** Replicates in which it fired on the measurement. */
  readonly fired: number
  readonly replicates: number
  /** It should fire, yet it fired in at most half the replicates: the organism escapes it (a borderline truth never escapes). */
  readonly escaped: boolean
  readonly conditions: ReadonlyArray<ConditionValues>
}

export interface Assessment {
  /** Verdicts of the subjects that measure what the organism's defects distort. */
  readonly verdicts: ReadonlyArray<SubjectVerdict>
  /** Some subject in scope should fire: the organism must be caught. */
  readonly eligible: boolean
  readonly escapes: ReadonlyArray<SubjectVerdict>
}

const NONE: Assessment = { verdicts: [], eligible: false, escapes: [] }

/** Majority decision over replicates: caught when it fired in more than half. */
const verdict = (kind: SubjectVerdict["kind"], id: string, truth: TruthClass, fired: number, replicates: number, conditions: ReadonlyArray<ConditionValues>): SubjectVerdict => ({
  kind,
  id,
  truth,
  shouldFire: truth === "fire",
  fired,
  replicates,
  escaped: truth === "fire" && fired * 2 <= replicates,
  conditions
})

/**
 * Runs the audit's evaluations and triggers against one organism, in-process. Only the
 * subjects that measure a quantity the organism's defects distort are judged (what its
 * base does is not its defect), and each is judged against the truth with the indifference
 * zones, as scoring judges a run: a truth inside a zone is borderline, so it neither must be
 * caught nor can escape. If no subject's truth crosses a threshold, nothing is measured.
 */
export const assess = (target: SearchTarget, spec: OrganismSpec): Assessment => {
  const organism = simulate(spec)
  const affected = new Set(organism.affects.map(measureLabel))
  const relevant = target.evaluations.filter((p) => affected.has(measureLabel(p.evaluation.measures)))
  const relevantIds = new Set(relevant.map((p) => p.evaluation.id))
  const byId = new Map(target.evaluations.map((p) => [p.evaluation.id, p]))
  const triggers = target.scope === "evaluations" ? [] : target.triggers.filter((t) => t.conditions.some((c) => relevantIds.has(c.evaluation)))
  const evaluations = target.scope === "triggers" ? [] : relevant

  const truthOf = (e: ResolvedEvaluation) => trueValue(organism.truth, e.measures)
  const conditionCrosses = (t: Trigger) =>
    t.conditions.some((c) => {
      const e = byId.get(c.evaluation)?.evaluation
      return e !== undefined && firesOnTruth(withThreshold(e.decision, c.threshold), truthOf(e))
    })
  // Every combination needs at least one condition true, so this is a cheap necessary test.
  const mayFire = evaluations.some((p) => firesOnTruth(p.evaluation.decision, truthOf(p.evaluation))) || triggers.some(conditionCrosses)
  if (!mayFire) return NONE

  const needed = new Set([...evaluations.map((p) => p.evaluation.id), ...triggers.flatMap((t) => t.conditions.map((c) => c.evaluation))])
  const prepared = target.evaluations.filter((p) => needed.has(p.evaluation.id))
  const respondent = simulatedRespondent(organism)
  const cells: Array<CellResult> = []
  for (let replicate = 0; replicate < target.replicates; replicate++) {
    for (const p of prepared) cells.push(measureInProcess(p, respondent, target.seed, replicate).result)
  }
  const measuredOf = (evaluation: string): ReadonlyArray<number> =>
    cells.flatMap((c) => (c.evaluation === evaluation && c._tag === "Measured" ? [c.measured] : []))

  const triggerResults = decideTriggers(triggers, prepared.map((p) => p.evaluation), cells, [spec.id], target.replicates)
  const triggerVerdicts = triggers.flatMap((t) => {
    const results = triggerResults.filter((r) => r.trigger === t.id)
    const decided = results.flatMap((r) => (r._tag === "Decided" ? [r] : []))
    // An errored trigger measured nothing: it is neither caught nor escaped.
    if (decided.length !== results.length || decided.length === 0) return []
    const conditions = t.conditions.flatMap((c) => {
      const e = byId.get(c.evaluation)?.evaluation
      if (e === undefined) return []
      const threshold = withThreshold(e.decision, c.threshold).threshold
      const cls = truthClass(threshold, truthOf(e), conditionIndifference(c, e, target.indifference))
      return [{ cls, values: { evaluation: e.id, threshold, truth: truthOf(e), measured: measuredOf(e.id) } }]
    })
    const cls = combineClasses(t.when, conditions.map((c) => c.cls))
    return [verdict("trigger", t.id, cls, decided.filter((r) => r.didFire).length, target.replicates, conditions.map((c) => c.values))]
  })
  const evaluationVerdicts = evaluations.flatMap((p) => {
    const own = cells.flatMap((c) => (c.evaluation === p.evaluation.id && c._tag === "Measured" ? [c] : []))
    if (own.length !== target.replicates) return []
    const e = p.evaluation
    return [
      verdict("evaluation", e.id, truthClass(e.decision.threshold, truthOf(e), indifferenceOf(e, target.indifference)), own.filter((c) => c.didFire).length, target.replicates, [
        { evaluation: e.id, threshold: e.decision.threshold, truth: truthOf(e), measured: own.map((c) => c.measured) }
      ])
    ]
  })
  const verdicts = [...triggerVerdicts, ...evaluationVerdicts]
  return { verdicts, eligible: verdicts.some((v) => v.shouldFire), escapes: verdicts.filter((v) => v.escaped) }
}
