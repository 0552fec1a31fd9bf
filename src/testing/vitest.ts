/**
 * Vitest helper: put a grader through the property battery inside your own test suite.
 *
 * ```ts
 * import { graderProperties } from "evalaudit/vitest"
 * graderProperties({ name: "my grader", grade: myGrader, claims, cases })
 * ```
 * Each property becomes one test; a failure prints the shrunk counterexample and the
 * `{ seed, path }` that replays it.
 */
import { describe, expect, it } from "vitest"
import type { GraderUnderTest } from "../graders/battery/grader-under-test.js"
import { formatResult } from "../graders/battery/property-result.js"
import { runBattery, type BatteryOptions } from "../graders/battery/run-battery.js"

export const graderProperties = (grader: GraderUnderTest, options: BatteryOptions = {}): void => {
  describe(`grader properties: ${grader.name}`, () => {
    const report = runBattery(grader, options)
    for (const result of report.results) {
      const test = result._tag === "NotApplicable" ? it.skip : it
      test(result.property, () => {
        if (result._tag === "Failed") expect.fail(formatResult(grader.name, result))
      })
    }
    if (report.agreement !== null) {
      const { accuracy, minimum } = report.agreement
      it(`agrees with labelled examples (95% lower bound >= ${minimum})`, () => {
        expect(accuracy.lower, `accuracy ${accuracy.k}/${accuracy.n}, interval [${accuracy.lower.toFixed(3)}, ${accuracy.upper.toFixed(3)}]`).toBeGreaterThanOrEqual(minimum)
      })
    }
  })
}
