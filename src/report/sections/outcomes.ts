import type { OutcomeCounts, Summary } from "../../domain/summary.js"
import { cell, code, joined, note, paragraph, table, th, type Cell } from "../document.js"
import { plural } from "../format.js"
import { HEAT_LABEL, HEAT_LEGEND, heatLegend, outcomeText } from "../html/heatmap.js"
import type { MemoSection } from "./section.js"

const empty: OutcomeCounts = { caught: 0, missed: 0, falseAlarm: 0, precautionary: 0, correctPass: 0, borderlineFired: 0, borderlineQuiet: 0, error: 0 }

/** A cell's outcomes in words; the HTML memo colours it by its headline outcome. */
const outcomeCell = (o: OutcomeCounts): Cell => cell(outcomeText(o), { visual: { _tag: "Heat", outcomes: o } })

/** The evaluation x organism matrix of outcomes over replicates, failures first in each cell. */
export const outcomesSection: MemoSection = {
  id: "outcomes",
  title: "Outcomes by evaluation and organism",
  major: true,
  render: (s: Summary) => {
    const scored = s.organisms.filter((o) => o.scored)
    const unscored = s.organisms.filter((o) => !o.scored)
    const row = (label: string, rows: ReadonlyArray<{ readonly organism: string; readonly outcomes: OutcomeCounts }>) => [
      cell(label),
      ...scored.map((o) => outcomeCell(rows.find((r) => r.organism === o.id)?.outcomes ?? empty))
    ]
    return [
      paragraph(
        `Each cell is one evaluation or trigger against one organism over ${plural(s.replicates, "replicate")}: the outcome that heads it (a failure whenever one occurred) with how many replicates had it, then the other outcomes. `,
        HEAT_LEGEND.map((l) => `${HEAT_LABEL[l.kind]}: ${l.meaning}`).join("; "),
        "."
      ),
      { _tag: "Visual", html: heatLegend() },
      table(
        ["subject", ...scored.map((o) => th(o.id, { organism: { title: o.description } }))],
        [...s.triggers.map((t) => row(`trigger ${t.id}`, t.organisms)), ...s.evaluations.map((e) => row(e.id, e.organisms))],
        "heatmap"
      ),
      ...(unscored.length === 0 ? [] : [note("Not scored (manipulation check failed or not yet run): ", ...joined(unscored.map((o) => code(o.id)), ", "), ".")])
    ]
  }
}
