import type { Summary } from "../../domain/summary.js"
import { cell, paragraph, table, th } from "../document.js"
import { num, wholePercent } from "../format.js"
import type { MemoSection } from "./section.js"

/** Samples spent by sequentially sampled evaluations against their fixed-n design. */
export const sequentialSection: MemoSection = {
  id: "sequential",
  title: "Sequential sampling",
  major: false,
  render: (s: Summary) => {
    const rows = s.evaluations.flatMap((e) => (e.sequential === undefined ? [] : [{ id: e.id, ...e.sequential }]))
    if (rows.length === 0) return []
    return [
      paragraph(
        "These evaluations asked each cell's samples in a seeded order and stopped as soon as their sequential design settled the decision; a cell the design left undecided asked every sample and the fixed rule decided."
      ),
      table(
        ["evaluation", "design", th("fixed n", { align: "number" }), th("mean samples used", { align: "number" }), th("saved", { align: "number" }), th("undecided cells", { align: "number" })],
        rows.map((q) => [
          q.id,
          q.method,
          cell(String(q.fixedN), { align: "number" }),
          cell(num(q.meanSamplesUsed, 1), { align: "number" }),
          cell(wholePercent(q.savedFraction), { align: "number" }),
          cell(String(q.undecided), { align: "number" })
        ])
      )
    ]
  }
}
