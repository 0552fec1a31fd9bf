import type { GraderSpec } from "../domain/grader.js"
import { choiceLetter, targetLetter, type Sample } from "../domain/sample.js"

/**
 * What a sample lacks for its evaluation's grader, or null if it can be graded. A sample
 * that cannot be graded would silently score 0 and look like a miss, so the audit is
 * refused instead.
 */
export const sampleProblem = (grader: GraderSpec, sample: Sample): string | null => {
  switch (grader.type) {
    case "choice": {
      if (sample.choices === undefined || sample.choices.length < 2) return "needs at least two choices for a choice grader"
      if (sample.target === undefined) return "needs a target letter for a choice grader"
      const letter = targetLetter(sample.target)
      const letters = sample.choices.map((_, i) => choiceLetter(i))
      return letters.includes(letter) ? null : `target "${sample.target}" is not one of the choice letters ${letters.join(", ")}`
    }
    case "behaviour-match":
      if (sample.matchingBehavior === undefined || sample.notMatchingBehavior === undefined) {
        return "needs matchingBehavior and notMatchingBehavior for a behaviour-match grader"
      }
      return sample.matchingBehavior.trim().toLowerCase() === sample.notMatchingBehavior.trim().toLowerCase()
        ? "matchingBehavior and notMatchingBehavior are the same answer"
        : null
    case "exact":
      return sample.target === undefined ? "needs a target for an exact grader" : null
    case "includes":
      return grader.value === undefined && (sample.target === undefined || sample.target.trim() === "")
        ? "needs a non-empty target for an includes grader without a value"
        : null
    case "regex":
      return null
  }
}

/** Problems of a whole dataset, as one message (the first few, then a count). */
export const datasetProblems = (grader: GraderSpec, samples: ReadonlyArray<Sample>): string | null => {
  const problems = samples.flatMap((s) => {
    const problem = sampleProblem(grader, s)
    return problem === null ? [] : [`sample "${s.id}": ${problem}`]
  })
  if (problems.length === 0) return null
  const shown = problems.slice(0, 5)
  const more = problems.length > shown.length ? `\n  ... and ${problems.length - shown.length} more` : ""
  return `${problems.length} sample${problems.length === 1 ? "" : "s"} cannot be graded:\n  ${shown.join("\n  ")}${more}`
}
