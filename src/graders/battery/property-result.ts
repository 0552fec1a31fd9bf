import fc from "fast-check"

/** Settings for one property run; `seed` and `path` replay a reported failure exactly. */
export interface RunSettings {
  readonly numRuns: number
  readonly seed: number
  readonly path?: string | undefined
}

/** The outcome of one property on one grader (fast-check's run details, kept as plain data). */
export type PropertyResult =
  | { readonly _tag: "Passed"; readonly property: string; readonly runs: number; readonly seed: number }
  | {
    readonly _tag: "Failed"
    readonly property: string
    readonly seed: number
    /** fast-check's replay path: with the seed, reproduces the shrunk counterexample. */
    readonly path: string
    readonly shrinks: number
    /** The shrunk counterexample, printed by fast-check. */
    readonly counterexample: string
    /** What the grader threw, if it threw. */
    readonly error: string | null
  }
  | { readonly _tag: "NotApplicable"; readonly property: string; readonly reason: string }

/** A property ready to run: it runs itself, so its value type stays inside. */
export type Runnable = (settings: RunSettings) => PropertyResult

/** A property over values of one arbitrary, run with fast-check and summarised. */
export const forAll =
  <A>(arb: fc.Arbitrary<A>, predicate: (a: A) => boolean) =>
  (property: string): Runnable =>
  (settings) => {
    const details = fc.check(fc.property(arb, predicate), {
      numRuns: settings.numRuns,
      seed: settings.seed,
      ...(settings.path === undefined ? {} : { path: settings.path }),
      endOnFailure: false
    })
    if (!details.failed || details.counterexample === null) {
      return { _tag: "Passed", property, runs: details.numRuns, seed: details.seed }
    }
    // fast-check reports a predicate that returned false as an error too; keep only real throws.
    const error = details.errorInstance instanceof Error && details.errorInstance.message === "Property failed by returning false" ? null : details.errorInstance
    return {
      _tag: "Failed",
      property,
      seed: details.seed,
      path: details.counterexamplePath ?? "",
      shrinks: details.numShrinks,
      counterexample: fc.stringify(details.counterexample[0]),
      error: error === null || error === undefined ? null : error instanceof Error ? error.message : String(error)
    }
  }

/** How a failure is reported, after fast-check's own format: property, seed, path, counterexample, shrinks. */
export const formatResult = (grader: string, r: PropertyResult): string => {
  switch (r._tag) {
    case "Passed":
      return `${grader}: ${r.property} passed (${r.runs} runs, seed ${r.seed})`
    case "NotApplicable":
      return `${grader}: ${r.property} not applicable (${r.reason})`
    case "Failed":
      return [
        `${grader}: ${r.property} FAILED after ${r.shrinks} shrinks`,
        `  counterexample: ${r.counterexample}`,
        ...(r.error === null ? [] : [`  threw: ${r.error}`]),
        `  replay: { seed: ${r.seed}, path: "${r.path}" }`
      ].join("\n")
  }
}
