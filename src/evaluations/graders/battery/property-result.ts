import fc from "fast-check"

/** Settings for one property run; `seed` and `path` replay a reported failure exactly. */
export interface RunSettings {
  readonly numRuns: number
  readonly seed: number
  readonly path?: string | undefined
  /** Stop starting new runs after this long; an interrupted property is reported, never passed. */
  readonly timeLimitMs: number
}

/** Counterexamples longer than this are cut in reports (a 1 MB response would swamp a memo). */
const MAX_COUNTEREXAMPLE = 400

import { PropertyResult } from "../../../domain/property-result.js"
import { plural } from "../../../domain/plural.js"
export { PropertyResult }


/** A property ready to run: it runs itself, so its value type stays inside. */
export type Runnable = (settings: RunSettings) => PropertyResult

const cut = (text: string): string =>
  text.length <= MAX_COUNTEREXAMPLE ? text : `${text.slice(0, MAX_COUNTEREXAMPLE)}… (${text.length} characters in all)`

/** A property over values of one arbitrary, run with fast-check and summarised. */
export const forAll =
  <A>(arb: fc.Arbitrary<A>, predicate: (a: A) => boolean) =>
  (property: string): Runnable =>
  (settings) => {
    const details = fc.check(fc.property(arb, predicate), {
      numRuns: settings.numRuns,
      seed: settings.seed,
      interruptAfterTimeLimit: settings.timeLimitMs,
      ...(settings.path === undefined ? {} : { path: settings.path })
    })
    if (details.failed && details.counterexample !== null) {
      // fast-check reports a predicate that returned false as an error too; keep only real throws.
      const error = details.errorInstance
      const returnedFalse = error === null || (error instanceof Error && error.message === "Property failed by returning false")
      return {
        _tag: "Failed",
        property,
        seed: details.seed,
        path: details.counterexamplePath ?? "",
        shrinks: details.numShrinks,
        counterexample: cut(fc.stringify(details.counterexample[0])),
        error: returnedFalse ? null : error instanceof Error ? error.message : String(error)
      }
    }
    if (details.interrupted || details.failed) return { _tag: "Interrupted", property, runs: details.numRuns, seed: details.seed }
    return { _tag: "Passed", property, runs: details.numRuns, seed: details.seed }
  }

/** One line on a failure, for findings and the memo: the counterexample and how to replay it. */
export const describeFailure = (r: Extract<PropertyResult, { _tag: "Failed" }>): string =>
  `${r.counterexample} after ${r.shrinks} shrinks${r.error === null ? "" : `, threw "${r.error}"`}; replay with { seed: ${r.seed}, path: "${r.path}" }`

/** How a result is printed: property, then for a failure the counterexample, shrinks and replay. */
export const formatResult = (grader: string, r: PropertyResult): string => {
  switch (r._tag) {
    case "Passed":
      return `${grader}: ${r.property} passed (${plural(r.runs, "run")}, seed ${r.seed})`
    case "Interrupted":
      return `${grader}: ${r.property} INTERRUPTED by the time limit after ${plural(r.runs, "run")} (seed ${r.seed}): not checked`
    case "NotApplicable":
      return `${grader}: ${r.property} not checked (${r.reason})`
    case "Failed":
      return `${grader}: ${r.property} FAILED: ${describeFailure(r)}`
  }
}
