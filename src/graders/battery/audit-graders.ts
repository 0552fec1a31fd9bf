import type { ResolvedAudit } from "../../domain/audit.js"
import type { GraderSpec } from "../../domain/grader.js"
import { canonicalJson } from "../../audit/spec-hash.js"
import { builtInGrader } from "./grader-under-test.js"
import { runBattery, type BatteryReport } from "./run-battery.js"

/** One distinct grader of an audit, the evaluations that use it, and its battery report. */
export interface AuditGraderReport {
  /** The grader spec as canonical JSON: equal specs are checked once. */
  readonly grader: string
  readonly evaluations: ReadonlyArray<string>
  readonly report: BatteryReport
}

/** Runs the property battery once per distinct grader of the audit's evaluations. */
export const checkAuditGraders = (audit: ResolvedAudit, seed: number, numRuns: number): ReadonlyArray<AuditGraderReport> => {
  const byKey = new Map<string, { spec: GraderSpec; evaluations: Array<string> }>()
  for (const e of audit.evaluations) {
    const key = canonicalJson(e.grader)
    const entry = byKey.get(key) ?? { spec: e.grader, evaluations: [] }
    entry.evaluations.push(e.id)
    byKey.set(key, entry)
  }
  return [...byKey.entries()].map(([key, { spec, evaluations }]) => ({
    grader: key,
    evaluations,
    report: runBattery(builtInGrader(spec, key), { seed, numRuns })
  }))
}
