/**
 * Vitest helper: put a grader through the property battery inside your own test suite.
 *
 * ```ts
 * import { graderProperties } from "evalaudit/vitest"
 * graderProperties({ name: "my grader", grade: myGrader, claims, cases })
 * ```
 * Each property becomes one test, run when the test runs (so `-t` filters work); a failure
 * prints the shrunk counterexample and the `{ seed, path }` that replays it.
 */
import { describe, expect, it } from "vitest"
import type { GraderUnderTest } from "../evaluations/graders/battery/grader-under-test.js"
import { PROPERTIES } from "../evaluations/graders/battery/properties.js"
import { formatResult } from "../evaluations/graders/battery/property-result.js"
import { agreementWith, runProperty, type BatteryOptions } from "../evaluations/graders/battery/run-battery.js"

export const graderProperties = (grader: GraderUnderTest, options: BatteryOptions = {}): void => {
  const timeout = (options.timeLimitMs ?? 10_000) * 2 + 5_000
  describe(`grader properties: ${grader.name}`, () => {
    for (const property of PROPERTIES) {
      const test = "notApplicable" in property.build(grader) ? it.skip : it
      test(
        property.name,
        () => {
          const result = runProperty(grader, property, options)
          if (result._tag === "Failed" || result._tag === "Interrupted") expect.fail(formatResult(grader.name, result))
        },
        timeout
      )
    }
    const labelled = grader.labelled ?? []
    if (labelled.length > 0) {
      const minimum = options.minimumAgreement ?? 0.9
      it(`agrees with labelled examples (95% lower bound >= ${minimum})`, () => {
        const { accuracy } = agreementWith(grader, labelled, minimum)
        expect(accuracy.lower, `accuracy ${accuracy.k}/${accuracy.n}, interval [${accuracy.lower.toFixed(3)}, ${accuracy.upper.toFixed(3)}]`).toBeGreaterThanOrEqual(minimum)
      })
    }
  })
}
