import fc from "fast-check"
import type { ResolvedAudit } from "../domain/audit.js"
import { type GraderSpec, isBuiltIn } from "../domain/grader.js"
import { PROPERTIES } from "../evaluations/graders/battery/properties.js"
import type { Sample } from "../domain/sample.js"
import type { GraderScore } from "../domain/summary.js"
import { canonicalJson } from "./spec-hash.js"
import { builtInGrader, casesFromSamples } from "../evaluations/graders/battery/grader-under-test.js"
import { runBattery, type BatteryOptions, type BatteryReport } from "../evaluations/graders/battery/run-battery.js"

/** One distinct grader of an audit, the evaluations that use it, and its battery report. */
export interface AuditGraderReport {
  /** The grader spec as canonical JSON: equal specs are checked once. */
  readonly grader: string
  readonly evaluations: ReadonlyArray<string>
  readonly report: BatteryReport
}

/**
 * Runs the property battery once per distinct grader of the audit's evaluations, on
 * generated cases and on cases drawn from the samples of the evaluations that use it.
 */
export const checkAuditGraders = (audit: ResolvedAudit, options: BatteryOptions): ReadonlyArray<AuditGraderReport> => {
  const byKey = new Map<string, { spec: GraderSpec; evaluations: Array<string>; samples: Array<Sample> }>()
  for (const e of audit.evaluations) {
    const key = canonicalJson(e.grader)
    const entry = byKey.get(key) ?? { spec: e.grader, evaluations: [], samples: [] }
    entry.evaluations.push(e.id)
    entry.samples.push(...e.dataset.samples)
    byKey.set(key, entry)
  }
  return [...byKey.entries()].map(([key, { spec, evaluations, samples }]) => {
    if (!isBuiltIn(spec)) return { grader: key, evaluations, report: judgeNotChecked(key) }
    const builtIn = builtInGrader(spec, key)
    const fromData = casesFromSamples(spec, samples)
    const cases = builtIn.cases === undefined ? fromData : fromData === undefined ? builtIn.cases : fc.oneof(builtIn.cases, fromData)
    return { grader: key, evaluations, report: runBattery({ ...builtIn, cases }, options) }
  })
}

/**
 * A judge answers through a provider, which a synchronous property run cannot call: in an
 * audit its properties are reported as not checked, never as passed. Check a judge with
 * `judgeUnderTest` over recorded replies (see src/judge/battery.ts).
 */
const judgeNotChecked = (grader: string): BatteryReport => ({
  grader,
  agreement: null,
  passed: false,
  results: PROPERTIES.map((p) => ({
    _tag: "NotApplicable",
    property: p.name,
    reason: "model-graded: checked with judgeUnderTest against recorded replies, not inside a run"
  }))
})

/** Battery reports as exported in the summary and stored. */
export const graderScores = (reports: ReadonlyArray<AuditGraderReport>): Array<GraderScore> =>
  reports.map((g) => ({ grader: g.grader, evaluations: g.evaluations, passed: g.report.passed, properties: g.report.results }))
