import { findingSentence } from "../report/finding-sentence.js"
import type { Summary } from "../domain/summary.js"
import { errorBoundsText, meanDetectionText } from "../report/detection-text.js"
import { ciLabel, num, plural, proportion } from "../report/format.js"
import { policyEscapesText } from "../report/sections/opening.js"
import { forTerminal } from "./terminal.js"

const pad = (cells: ReadonlyArray<ReadonlyArray<string>>): string => {
  // Ids come from audit files: made visible before the widths are measured.
  const rows = cells.map((row) => row.map((c) => forTerminal(c, 200)))
  const widths = rows.reduce<Array<number>>((w, row) => row.map((c, i) => Math.max(w[i] ?? 0, c.length)), [])
  return rows.map((row) => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()).join("\n")
}

/** The sensitivity/specificity table and top findings, as printed at the end of a run; text from the audit and its models is made safe for a terminal. */
export const consoleSummary = (s: Summary, maxFindings = 8): string => {
  const ci = ciLabel(s.statistics.confidence)
  // The headline (relevant organisms, organisms as the unit) first; pooled replicate rates after it.
  const rows: Array<Array<string>> = [["subject", "relevant organisms", `mean detection [${ci}]`, `sensitivity, all [${ci}]`, `specificity [${ci}]`, "precautionary", "errors"]]
  const row = (label: string, x: Summary["triggers"][number] | Summary["evaluations"][number]) => [
    label,
    x.relevant.organisms.length === 0 ? "none" : `${x.relevant.reliablyCaught.length} of ${x.relevant.organisms.length} reliably`,
    meanDetectionText(x.relevant),
    proportion(x.sensitivity),
    proportion(x.specificity),
    x.precautionary.k === 0 ? "0" : proportion(x.precautionary),
    String(x.errors)
  ]
  for (const t of s.triggers) rows.push(row(`trigger ${t.id}`, t))
  for (const e of s.evaluations) rows.push(row(e.id, e))
  const errored = [...s.triggers, ...s.evaluations].flatMap((x) => {
    const text = errorBoundsText(x.allOrganisms)
    return text === "" ? [] : [`  ${forTerminal(x.id, 200)}: ${text}`]
  })
  const findings = s.findings.slice(0, maxFindings).map((f) => `  [${f.severity}] ${forTerminal(findingSentence(f))}`)
  const more = s.findings.length > maxFindings ? [`  ... and ${s.findings.length - maxFindings} more in the memo`] : []
  return [
    `${forTerminal(s.audit, 200)} · run ${s.runId} · seed ${s.seed} · ${plural(s.replicates, "replicate")}${s.complete ? "" : " · INCOMPLETE"}`,
    // The policy's verdict leads; evaluation coverage follows the table, named so it is not read as the verdict.
    forTerminal(policyEscapesText(s)),
    "",
    pad(rows),
    `reliably caught: detection probability's lower bound >= ${num(s.scoring.reliability.triggers)} (triggers), ${num(s.scoring.reliability.evaluations)} (evaluations); relevant: the organism's defect distorts what the subject measures`,
    ...(errored.length === 0 ? [] : ["errored cells, counted both ways:", ...errored]),
    "",
    `evaluation coverage gaps (not the policy's verdict; see Escapes above): ${s.escapes.length > 0 ? forTerminal(s.escapes.join(", ")) : s.complete ? "none" : "not judged (the run is incomplete)"}`,
    `findings (${s.findings.length}):`,
    ...findings,
    ...more
  ].join("\n")
}
