import type { Summary } from "../../domain/summary.js"
import { cell, paragraph, table, th, type Cell } from "../document.js"
import { ciLabel, intervalName, plural, proportion, type ProportionFigures } from "../format.js"
import type { MemoSection } from "./section.js"

type Tone = "sensitivity" | "specificity"

/** "0.60 (6/10) [0.31, 0.83]", drawn as an interval bar in the HTML memo. */
export const rateCell = (p: ProportionFigures & { readonly estimate: number | null }, tone: Tone): Cell => {
  const text = proportion(p)
  return cell(text, { visual: { _tag: "IntervalBar", estimate: p.estimate, lower: p.lower, upper: p.upper, tone, label: `${tone} ${text}` } })
}

const rateHeader = (s: Summary, tone: Tone) => th(`${tone} [${ciLabel(s.statistics.confidence)}]`, { scale: true })

/** Each policy trigger: what it commits to, its rule, and how often it decided as its organisms' truth required. */
export const triggersSection: MemoSection = {
  id: "triggers",
  title: "Triggers",
  major: false,
  render: (s: Summary) =>
    s.triggers.length === 0
      ? [paragraph("The audit has no policy triggers.")]
      : [
        table(
          ["trigger", "commitment", "rule", rateHeader(s, "sensitivity"), rateHeader(s, "specificity"), th("errors", { align: "number" })],
          s.triggers.map((t) => [t.id, t.commitment, t.rule, rateCell(t.sensitivity, "sensitivity"), rateCell(t.specificity, "specificity"), cell(String(t.errors), { align: "number" })]),
          "rates"
        )
      ]
}

/** Each evaluation's sensitivity and specificity over scored organisms x replicates. */
export const ratesSection: MemoSection = {
  id: "rates",
  title: "Evaluations: sensitivity and specificity",
  major: true,
  render: (s: Summary) => [
    paragraph(
      `Sensitivity = caught / (caught + missed); specificity = correct passes / (correct passes + false alarms), over scored organisms x replicates, each with its ${intervalName(s.statistics)} interval. "– (0/0)" means no case applied (no estimate, not a perfect score).`
    ),
    table(
      ["evaluation", "measures", "decision rule", th("samples", { align: "number" }), rateHeader(s, "sensitivity"), rateHeader(s, "specificity"), th("errors", { align: "number" })],
      s.evaluations.map((e) => [
        e.id,
        e.measures,
        e.rule,
        cell(e.epochs > 1 ? `${e.samples} x ${plural(e.epochs, "epoch")}` : String(e.samples), { align: "number" }),
        rateCell(e.sensitivity, "sensitivity"),
        rateCell(e.specificity, "specificity"),
        cell(String(e.errors), { align: "number" })
      ]),
      "rates"
    )
  ]
}
