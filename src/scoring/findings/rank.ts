/** The one ordering of findings: most severe first, then by kind, subject and organism. */
import type { Finding } from "../../domain/summary.js"

const SEVERITY_ORDER = ["critical", "high", "medium"] as const
const KIND_ORDER = ["trigger-miss", "escape", "commitment-timing", "overfitting", "manipulation-check", "grader-fault", "scorer-fault", "evaluation-miss", "false-alarm", "errors", "dataset"] as const

/** Locale-independent order, so findings sort the same on every machine. */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** A sorted copy; the sort is stable, so ties keep the order they were produced in. */
export const rankFindings = (findings: ReadonlyArray<Finding>): ReadonlyArray<Finding> =>
  [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      byCodePoint(a.subject, b.subject) ||
      byCodePoint(a.organism ?? "", b.organism ?? "")
  )
