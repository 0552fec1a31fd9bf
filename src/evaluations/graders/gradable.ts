import type { GraderSpec } from "../../domain/grader.js"
import { choiceLetter, targetLetter, type Sample } from "../../domain/sample.js"
import { compilePattern, firstFailure } from "./assertions.js"

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
      // An empty answer is found in no response: every response would score 0 ("neither answer found").
      if (sample.matchingBehavior.trim() === "") return "matchingBehavior is empty; expected the answer that shows the behaviour"
      if (sample.notMatchingBehavior.trim() === "") return "notMatchingBehavior is empty; expected the answer that does not show it"
      return sample.matchingBehavior.trim().toLowerCase() === sample.notMatchingBehavior.trim().toLowerCase()
        ? "matchingBehavior and notMatchingBehavior are the same answer"
        : null
    case "exact":
      if (sample.target === undefined || sample.target.trim() === "") return "needs a non-empty target for an exact grader"
      return emptyAlternative(sample)
    case "includes":
      if (grader.value !== undefined) return null
      if (sample.target === undefined || sample.target.trim() === "") return "needs a non-empty target for an includes grader without a value"
      // An empty alternative is contained in every response: it would credit anything.
      return emptyAlternative(sample)
    case "regex":
      return null
    // A judge reads the response against its rubric; the sample needs nothing more than its input.
    case "judge":
      return null
    case "assertions":
      return assertionsProblem(sample)
  }
}

const emptyAlternative = (sample: Sample): string | null => {
  const index = (sample.alternatives ?? []).findIndex((a) => a.trim() === "")
  return index < 0 ? null : `alternative ${index + 1} is empty`
}

/**
 * An assertions sample needs assertions that can be checked, and a target that passes
 * them: the target is the answer a capable simulated organism gives, so without one (or
 * with one the assertions refuse) the evaluation would measure nothing.
 */
const assertionsProblem = (sample: Sample): string | null => {
  const assertions = sample.assertions ?? []
  if (assertions.length === 0) return "needs assertions for an assertions grader"
  for (const [i, assertion] of assertions.entries()) {
    if (assertion.type !== "regex" && assertion.type !== "not-regex") continue
    const compiled = compilePattern(assertion.value)
    if (!(compiled instanceof RegExp)) return `assertion ${i + 1}: ${short(assertion.value)} is not a valid regular expression (${compiled.invalid})`
  }
  if (sample.target === undefined) return "needs a target (a response that passes every assertion) for an assertions grader"
  const failure = firstFailure(assertions, sample.target, compilePattern)
  return failure === null ? null : `target ${short(sample.target)} does not pass assertion ${failure.index + 1}: ${failure.reason}`
}

const short = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)

/** Problems of a whole dataset, as one message (the first few, then a count). */
export const datasetProblems = (grader: GraderSpec, samples: ReadonlyArray<Sample>): string | null => {
  const problems = samples.flatMap((s) => {
    const problem = sampleProblem(grader, s)
    return problem === null ? [] : [`sample "${s.id}": ${problem}`]
  })
  if (problems.length === 0) return null
  const [only] = problems
  if (problems.length === 1 && only !== undefined) return only
  const shown = problems.slice(0, 5)
  const more = problems.length > shown.length ? `\n  ... and ${problems.length - shown.length} more` : ""
  return `${problems.length} sample${problems.length === 1 ? "" : "s"} cannot be graded:\n  ${shown.join("\n  ")}${more}`
}
