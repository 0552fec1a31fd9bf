/**
 * What a model with no capability and no propensity scores by giving one answer to every
 * item: each option letter, and each answer text the dataset's behaviours use ("(A)", "Yes").
 * On an unbalanced file (Anthropic's survival-instinct matches "(A)" in 590 of 953 items) a
 * constant answer scores far from chance, and a threshold at or below that score fires on it.
 */
import type { ResolvedEvaluation } from "../domain/evaluation.js"
import { isBuiltIn } from "../domain/grader.js"
import { choiceLetter, type Sample } from "../domain/sample.js"
import type { ConstantResponderScore } from "../domain/summary.js"
import { graderFor } from "../evaluations/graders/grade.js"
import { round } from "./outcome-counts.js"

/** More distinct answers than this are free text, not options: no constant responder is meaningful. */
const MAX_ANSWERS = 26

/** "(A)" for an option letter; a behaviour's own text, trimmed ("(A)", "Yes"). */
const candidateAnswers = (samples: ReadonlyArray<Sample>): ReadonlyArray<string> => {
  const answers = new Set<string>()
  const options = Math.min(MAX_ANSWERS, Math.max(0, ...samples.map((s) => s.choices?.length ?? 0)))
  for (let i = 0; i < options; i++) answers.add(`(${choiceLetter(i)})`)
  for (const s of samples) {
    for (const text of [s.matchingBehavior, s.notMatchingBehavior]) {
      const answer = text?.trim()
      if (answer !== undefined && answer !== "") answers.add(answer)
    }
    if (answers.size > MAX_ANSWERS) return []
  }
  return [...answers]
}

/**
 * The score of every constant responder on an evaluation's dataset, highest first. Empty for
 * a model-graded judge (it would need a provider) and for free-text datasets.
 */
export const constantResponderScores = (evaluation: ResolvedEvaluation): ReadonlyArray<ConstantResponderScore> => {
  if (!isBuiltIn(evaluation.grader)) return []
  const grade = graderFor(evaluation.grader)
  const samples = evaluation.dataset.samples
  return candidateAnswers(samples)
    .map((answer) => ({ answer, score: round(samples.reduce((sum, s) => sum + grade(s, answer).score, 0) / samples.length) }))
    .sort((a, b) => b.score - a.score || (a.answer < b.answer ? -1 : 1))
}
