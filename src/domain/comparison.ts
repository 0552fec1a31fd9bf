import { Schema } from "effect"
import { Id } from "./ids.js"
import { measureLabel, type Measure } from "./measure.js"

/**
 * Two variants of an evaluation run on the same samples (monitored vs unmonitored framing:
 * a compliance gap; with vs without elicitation: an elicitation gap), scored as b - a on
 * per-sample pairs so the variance the samples share cancels.
 */
export const Comparison = Schema.Struct({
  id: Id,
  title: Schema.optional(Schema.String),
  /** The reference variant's evaluation id. */
  a: Id,
  /** The variant compared with it; the memo reports b - a. */
  b: Id
})
export type Comparison = typeof Comparison.Type
export type ComparisonInput = typeof Comparison.Encoded

/** What the cross-check needs of an evaluation. */
export interface ComparedEvaluation {
  readonly id: string
  readonly measures: Measure
  /** Its dataset's sample ids; undefined while the dataset is not read yet (the sample check then waits). */
  readonly sampleIds?: ReadonlyArray<string> | undefined
}

/** A problem with a path into the audit, the shape of `Schema.FilterIssue`. */
export interface ComparisonProblem {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

const quoted = (ids: ReadonlyArray<string>): string => ids.map((id) => JSON.stringify(id)).join(", ")

/** "a, b, c" or "a, b, c and 4 more": enough to find the culprits, short enough for one line. */
const someOf = (ids: ReadonlyArray<string>): string =>
  ids.length <= 3 ? quoted(ids) : `${quoted(ids.slice(0, 3))} and ${ids.length - 3} more`

const missingFrom = (ids: ReadonlyArray<string>, other: ReadonlySet<string>): Array<string> => ids.filter((id) => !other.has(id))

/**
 * Cross-references the schema alone cannot see: unique comparison ids, known and distinct
 * evaluations, the same measured quantity, and the same sample ids (pairs are formed by
 * sample id, so a sample in one variant only would have no partner).
 */
export const comparisonProblems = (
  comparisons: ReadonlyArray<Comparison>,
  evaluations: ReadonlyArray<ComparedEvaluation>
): Array<ComparisonProblem> => {
  const problems: Array<ComparisonProblem> = []
  const byId = new Map(evaluations.map((e) => [e.id, e]))
  const known = evaluations.map((e) => e.id).join(", ")
  const ids = comparisons.map((c) => c.id)
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) {
    problems.push({ path: ["comparisons"], message: `duplicate comparison id "${id}"` })
  }
  comparisons.forEach((comparison, i) => {
    const a = byId.get(comparison.a)
    const b = byId.get(comparison.b)
    for (const side of ["a", "b"] as const) {
      if (!byId.has(comparison[side])) {
        problems.push({ path: ["comparisons", i, side], message: `unknown evaluation "${comparison[side]}"; expected one of: ${known}` })
      }
    }
    if (a === undefined || b === undefined) return
    if (a.id === b.id) {
      problems.push({ path: ["comparisons", i, "b"], message: `compares evaluation "${a.id}" with itself; a and b must be two variants` })
      return
    }
    if (measureLabel(a.measures) !== measureLabel(b.measures)) {
      problems.push({
        path: ["comparisons", i],
        message: `evaluations "${a.id}" (${measureLabel(a.measures)}) and "${b.id}" (${measureLabel(b.measures)}) measure different quantities; a comparison needs two variants measuring the same one`
      })
    }
    if (a.sampleIds === undefined || b.sampleIds === undefined) return
    const onlyA = missingFrom(a.sampleIds, new Set(b.sampleIds))
    const onlyB = missingFrom(b.sampleIds, new Set(a.sampleIds))
    if (onlyA.length > 0 || onlyB.length > 0) {
      const parts = [
        ...(onlyA.length === 0 ? [] : [`${onlyA.length} of "${a.id}"'s ${a.sampleIds.length} samples are not in "${b.id}" (${someOf(onlyA)})`]),
        ...(onlyB.length === 0 ? [] : [`${onlyB.length} of "${b.id}"'s ${b.sampleIds.length} samples are not in "${a.id}" (${someOf(onlyB)})`])
      ]
      problems.push({
        path: ["comparisons", i],
        message: `evaluations "${a.id}" and "${b.id}" must have the same sample ids to be paired: ${parts.join("; ")}`
      })
    }
  })
  return problems
}
