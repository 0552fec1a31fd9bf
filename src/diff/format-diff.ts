import type { DefinitionChange } from "./definitions.js"
import { MISSING, plural, proportion } from "../report/format.js"
import { type MarkdownCell, markdownTable } from "../report/markdown-table.js"
import { escapeMarkdown } from "../report/render-markdown.js"
import type { RateChange, RunDiff, SubjectRates } from "./run-diff.js"

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

const RATES = ["sensitivity", "specificity"] as const

/** Rows of the rate table: subjects in both runs, then those only run B has (added), then those only run A has (removed). */
const rateRows = <L>(diff: RunDiff, labels: Record<RateChange, L>): Array<Array<string | L>> => [
  ...diff.subjects.flatMap((s) => RATES.map((name) => [`${s.kind} ${s.id}`, name, proportion(s[name].before), proportion(s[name].after), labels[s[name].change]])),
  ...diff.added.flatMap((s: SubjectRates) => RATES.map((name) => [`${s.kind} ${s.id}`, name, MISSING, proportion(s[name]), "added"])),
  ...diff.removed.flatMap((s: SubjectRates) => RATES.map((name) => [`${s.kind} ${s.id}`, name, proportion(s[name]), MISSING, "removed"]))
]

const hasRates = (diff: RunDiff) => diff.subjects.length + diff.added.length + diff.removed.length > 0

/**
 * Whether the two runs can be compared as before and after: runs of different audits (another
 * name or file) are said so first, since every line below then compares unrelated things.
 */
const provenance = (diff: RunDiff, quote: (text: string) => string = (t) => `"${t}"`): string => {
  const { a, b } = diff
  if (!diff.sameAudit) {
    return `WARNING: the runs come from different audits: ${quote(a.audit)} (${quote(a.source)}) and ${quote(b.audit)} (${quote(b.source)}); the figures below compare unrelated things`
  }
  const audit = `${quote(a.audit)} (${quote(a.source)})`
  return diff.sameSpec ? `runs of one audit, ${audit}, with one spec` : `runs of one audit, ${audit}, from different specs (${a.specHash} -> ${b.specHash})`
}

const resultText = (r: RunDiff["results"][number]): string =>
  r.before === null ? `${r.kind} ${r.id}: added: ${r.after ?? ""}` : r.after === null ? `${r.kind} ${r.id}: removed (was ${r.before})` : `${r.kind} ${r.id}: ${r.before} -> ${r.after}`

const columns = (rows: ReadonlyArray<ReadonlyArray<string>>): Array<string> => {
  const widths = rows.reduce<Array<number>>((w, row) => row.map((c, i) => Math.max(w[i] ?? 0, c.length)), [])
  return rows.map((row) => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd())
}

/** Settings and definitions changed by hand are counted apart from results that moved beyond sampling noise. */
const headline = (diff: RunDiff): string => {
  if (diff.changes === 0) return "no changes: same settings and definitions, every rate the same or within noise, same escapes"
  const inputs = diff.changes - diff.resultChanges
  const definitions = diff.definitions.length
  const settings = inputs - definitions
  const parts = [
    ...(settings > 0 ? [`${plural(settings, "setting")} changed`] : []),
    ...(definitions > 0 ? [`${plural(definitions, "definition")} changed`] : []),
    diff.resultChanges === 0 ? "no result changed beyond sampling noise" : `${plural(diff.resultChanges, "result change")} beyond sampling noise`
  ]
  return parts.join("; ")
}

/** The diff for a terminal or a CI log. */
export const formatDiffText = (diff: RunDiff): string => {
  const lines = [
    provenance(diff),
    `diff ${diff.a.runId} (${diff.a.audit}, ${diff.a.specHash}) -> ${diff.b.runId} (${diff.b.audit}, ${diff.b.specHash})`,
    headline(diff)
  ]
  if (diff.settings.length > 0) lines.push("", "settings:", ...diff.settings.map((s) => `  ${s.setting}: ${s.before} -> ${s.after}`))
  if (diff.definitions.length > 0) lines.push("", "definitions:", ...diff.definitions.map((d) => `  ${definitionText(d)}`))
  if (hasRates(diff)) {
    lines.push("", `rates (${NOTE}):`, ...columns([["subject", "rate", "before", "after", "change"], ...rateRows(diff, CHANGE_TEXT)]).map((l) => `  ${l}`))
  }
  if (diff.results.length > 0) lines.push("", "comparisons and series:", ...diff.results.map((r) => `  ${resultText(r)}`))
  const list = (ids: ReadonlyArray<string>) => (ids.length === 0 ? "none" : ids.join(", "))
  lines.push(
    "",
    `policy escapes: new ${list(diff.policyEscapes.new)}; resolved ${list(diff.policyEscapes.resolved)}`,
    `evaluation coverage gaps: new ${list(diff.escapes.new)}; resolved ${list(diff.escapes.resolved)}`
  )
  return lines.join("\n")
}

/** A table cell: a pipe would end the cell and a newline the row. */

const code = (text: string): string => `\`${text.replace(/`/g, "'").replace(/[\r\n]+/g, " ")}\``

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
    diff.sameAudit ? provenance(diff, code) : `**${provenance(diff, code)}**`,
    "",
    diff.changes === 0 ? `**No changes** beyond sampling noise (${NOTE}).` : `**${headline(diff)}** (${NOTE}).`,
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
  if (hasRates(diff)) {
    lines.push("", "#### Sensitivity and specificity", "", ...table(["subject", "rate", "run A", "run B", "change"], rateRows(diff, MD_CHANGE)))
  }
  if (diff.results.length > 0) lines.push("", "#### Comparisons and series", "", ...diff.results.map((r) => `- ${escapeMarkdown(resultText(r))}`))
  const list = (ids: ReadonlyArray<string>) => (ids.length === 0 ? "none" : ids.map(code).join(", "))
  lines.push("", "#### Policy escapes", "", `- new: ${list(diff.policyEscapes.new)}`, `- resolved: ${list(diff.policyEscapes.resolved)}`)
  lines.push("", "#### Evaluation coverage gaps", "", `- new: ${list(diff.escapes.new)}`, `- resolved: ${list(diff.escapes.resolved)}`)
  return `${lines.join("\n")}\n`
}
