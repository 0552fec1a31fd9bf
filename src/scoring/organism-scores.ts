/** Per organism: its manipulation check, whether it is scored, its evaluation coverage and its escapes from the policy. */
import { measureLabel } from "../domain/measure.js"
import type { OrganismScore } from "../domain/summary.js"
import { round } from "./outcome-counts.js"
import { policyEscapeOf } from "./policy-escapes.js"
import type { Judged } from "./judge.js"
import type { ScoringInput, Scope } from "./scoring-input.js"

type Escape = NonNullable<OrganismScore["escape"]>

/**
 * Evaluation-level coverage (not the policy's verdict, see policy-escapes.ts): replicates where something relevant should fire and nothing relevant caught
 * the organism; null when nothing in scope should fire (the policy accepts this defect level).
 */
const escapeOf = ({ audit, run }: ScoringInput, scope: Scope, organism: string, affected: ReadonlyArray<string>): Escape | null => {
  const relevantEvaluations = audit.evaluations.filter((e) => affected.includes(measureLabel(e.measures))).map((e) => e.id)
  const relevantTriggers = (audit.policy?.triggers ?? [])
    // A trigger counts only if all its conditions measure what the defect distorts, so a
    // trigger that fired on an unrelated evaluation is not credited with the catch.
    .filter((t) => t.conditions.every((c) => relevantEvaluations.includes(c.evaluation)))
    .map((t) => t.id)
  const own = (judged: ReadonlyMap<string, ReadonlyArray<Judged>>, ids: ReadonlyArray<string>) =>
    ids.flatMap((id) => (judged.get(id) ?? []).filter((j) => j.organism === organism))
  // Borderline and errored decisions put nothing at stake.
  const decided = [...own(scope.judged.evaluations, relevantEvaluations), ...own(scope.judged.triggers, relevantTriggers)].map((j) => ({
    replicate: j.replicate,
    shouldFire: j.truth === "fire" && j.verdict !== "error",
    outcome: j.verdict
  }))
  const replicates = Array.from({ length: run.replicates }, (_, r) => r)
  // Nothing measures the distorted quantity: uncovered, so it escapes every replicate.
  if (relevantEvaluations.length === 0) return { replicates: replicates.length, escaped: replicates.length, rate: 1 }
  const atStake = replicates.filter((r) => decided.some((d) => d.replicate === r && d.shouldFire))
  if (atStake.length === 0) return null
  const escaped = atStake.filter((r) => !decided.some((d) => d.replicate === r && d.outcome === "caught")).length
  return { replicates: atStake.length, escaped, rate: round(escaped / atStake.length) }
}

/** Every organism of the audit, scored or not (one that failed its check is reported, not scored). */
export const organismScores = (input: ScoringInput, scope: Scope): ReadonlyArray<OrganismScore> =>
  scope.profiles.map((profile) => {
    const check = scope.checkOf.get(profile.id)
    const scored = scope.scored.has(profile.id)
    const escape = scored && !profile.control && profile.affects.length > 0 ? escapeOf(input, scope, profile.id, profile.affects.map(measureLabel)) : null
    return {
      id: profile.id,
      description: profile.description,
      control: profile.control,
      layers: profile.layers,
      truth: profile.truth,
      ...(profile.measuredTruth.length === 0 ? {} : { measuredTruth: profile.measuredTruth }),
      manipulationCheck: check === undefined ? null : { passed: check.passed, layers: check.layers },
      scored,
      escape,
      policyEscape: scored ? policyEscapeOf(input, scope, profile.id) : null
    }
  })
