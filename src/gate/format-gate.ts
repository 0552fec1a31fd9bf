import type { GateReport } from "./evaluate-gate.js"

/**
 * The gate as CI logs show it: one line per rule with PASS or FAIL, the requirement and the
 * run's figures, then the verdict.
 */
export const formatGateReport = (report: GateReport, runId: string): string => {
  const failed = report.checks.filter((c) => c.verdict === "FAIL").length
  const judged = report.on === "bound" ? `minimums on lower bounds, maximums on upper bounds of ${report.intervals} intervals` : "point estimates"
  return [
    `gate for run ${runId} (judging ${judged})`,
    ...report.checks.map((c) => `${c.verdict}  ${c.rule}: ${c.figures}`),
    failed === 0
      ? `verdict: PASS (${report.checks.length} rules met)`
      : `verdict: FAIL (${failed} of ${report.checks.length} rules failed)`
  ].join("\n")
}
