import type { DefinitionChange } from "./definitions.js"
import { plural, proportion } from "../report/format.js"
import { type MarkdownCell, markdownTable } from "../report/markdown-table.js"
import { escapeMarkdown } from "../report/render-markdown.js"
import type { RateChange, RunDiff } from "./run-diff.js"

const CHANGE_TEXT: Record<RateChange, string> = {
  same: "same",
  "within-noise": "within noise",
  improved: "IMPROVED",
  worsened: "WORSENED",
  unmeasured: "not comparable (n = 0)"
}

const NOTE = "a rate counts as changed only when its two Wilson 95% intervals do not overlap"

const definitionText = (d: DefinitionChange): string =>
  d.change === "changed" ? `${d.kind} ${d.id}: changed: ${d.fields.join(", ")} (${d.before ?? ""} -> ${d.after ?? ""})` : `${d.kind} ${d.id}: ${d.change}`

const rateRows = <L>(diff: RunDiff, labels: Record<RateChange, L>): Array<[string, string, string, string, L]> =>
  diff.subjects.flatMap((s) =>
    (["sensitivity", "specificity"] as const).map((name): [string, string, string, string, L] => [
      `${s.kind} ${s.id}`,
      name,
      proportion(s[name].before),
      proportion(s[name].after),
      labels[s[name].change]
    ])
  )

const columns = (rows: ReadonlyArray<ReadonlyArray<string>>): Array<string> => {
  const widths = rows.reduce<Array<number>>((w, row) => row.map((c, i) => Math.max(w[i] ?? 0, c.length)), [])
  return rows.map((row) => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd())
}

const headline = (diff: RunDiff): string =>
  diff.changes === 0
    ? "no changes: same settings and definitions, every rate the same or within noise, same escapes"
    : `${plural(diff.changes, "change")} beyond sampling noise`

/** The diff for a terminal or a CI log. */
export const formatDiffText = (diff: RunDiff): string => {
  const lines = [
    `diff ${diff.a.runId} (${diff.a.audit}, ${diff.a.specHash}) -> ${diff.b.runId} (${diff.b.audit}, ${diff.b.specHash})`,
    headline(diff)
  ]
  if (diff.settings.length > 0) lines.push("", "settings:", ...diff.settings.map((s) => `  ${s.setting}: ${s.before} -> ${s.after}`))
  if (diff.definitions.length > 0) lines.push("", "definitions:", ...diff.definitions.map((d) => `  ${definitionText(d)}`))
  if (diff.subjects.length > 0) {
    lines.push("", `rates (${NOTE}):`, ...columns([["subject", "rate", "before", "after", "change"], ...rateRows(diff, CHANGE_TEXT)]).map((l) => `  ${l}`))
  }
  const list = (ids: ReadonlyArray<string>) => (ids.length === 0 ? "none" : ids.join(", "))
  lines.push(
    "",
    `policy escapes: new ${list(diff.policyEscapes.new)}; resolved ${list(diff.policyEscapes.resolved)}`,
    `evaluation coverage gaps: new ${list(diff.escapes.new)}; resolved ${list(diff.escapes.resolved)}`
  )
  return lines.join("\n")
}

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | MarkdownCell>>): Array<string> =>
  markdownTable(header, rows).split("\n")

const MD_CHANGE: Record<RateChange, MarkdownCell> = {
  same: { markdown: "same" },
  "within-noise": { markdown: "within noise" },
  improved: { markdown: "**improved**" },
  worsened: { markdown: "**worsened**" },
  unmeasured: { markdown: "not comparable (n = 0)" }
}

/** The diff as Markdown, for a pull-request comment: changes first, then the full rate table. Text from the runs (audit names, settings, fields) is escaped. */
export const formatDiffMarkdown = (diff: RunDiff): string => {
  const lines = [
    `### evalaudit diff: ${code(diff.a.runId)} → ${code(diff.b.runId)}`,
    "",
    `${diff.changes === 0 ? "**No changes**" : `**${plural(diff.changes, "change")}**`} beyond sampling noise (${NOTE}).`,
    "",
    ...table(["", "run A", "run B"], [
      ["run", diff.a.runId, diff.b.runId],
      ["audit", diff.a.audit, diff.b.audit],
      ["spec", diff.a.specHash, diff.b.specHash],
      ...diff.settings.map((s) => [s.setting, s.before, s.after])
    ])
  ]
  if (diff.definitions.length > 0) {
    lines.push("", "#### Definitions", "")
    for (const d of diff.definitions) {
      lines.push(`- ${d.kind} ${code(d.id)}: ${d.change}${d.change === "changed" ? `: ${escapeMarkdown(d.fields.join(", "))}` : ""}`)
    }
  }
  if (diff.subjects.length > 0) {
    lines.push("", "#### Sensitivity and specificity", "", ...table(["subject", "rate", "run A", "run B", "change"], rateRows(diff, MD_CHANGE)))
  }
  const list = (ids: ReadonlyArray<string>) => (ids.length === 0 ? "none" : ids.map(code).join(", "))
  lines.push("", "#### Policy escapes", "", `- new: ${list(diff.policyEscapes.new)}`, `- resolved: ${list(diff.policyEscapes.resolved)}`)
  lines.push("", "#### Evaluation coverage gaps", "", `- new: ${list(diff.escapes.new)}`, `- resolved: ${list(diff.escapes.resolved)}`)
  return `${lines.join("\n")}\n`
}
