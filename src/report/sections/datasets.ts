import type { DatasetScore, Summary } from "../../domain/summary.js"
import { bullets, cell, code, paragraph, strong, table, th, type Block, type Inlines } from "../document.js"
import { num, plural } from "../format.js"
import type { MemoSection } from "./section.js"

/** "all", or "seeded 50 of 400, stratified by subject (bio 25/200, cyber 25/200)". */
const subsetText = (d: DatasetScore): string => {
  if (d.subset === undefined) return "all"
  const strata = Object.entries(d.subset.strata)
  const by = d.subset.stratifyBy === undefined ? "" : `, stratified by ${d.subset.stratifyBy} (${strata.map(([k, v]) => `${k} ${v.taken}/${v.available}`).join(", ")})`
  return `seeded ${Math.min(d.subset.limit, d.subset.from)} of ${d.subset.from}${by}`
}

const baselineItem = (evaluation: string, b: NonNullable<DatasetScore["baseline"]>): Inlines => {
  const metrics = Object.entries(b.metrics).flatMap(([scorer, values]) => Object.entries(values).map(([metric, value]) => `${scorer}/${metric} ${num(value, 3)}`))
  return [
    strong(evaluation),
    ": Inspect log of task ",
    code(b.task),
    " on ",
    code(b.model),
    ` (${b.status}, ${b.created}), ${plural(b.samples, "sample")}: ${metrics.length === 0 ? "no results recorded" : metrics.join(", ")}.${b.error === undefined ? "" : ` Error: ${b.error}`}`
  ]
}

/** "(A) 0.62, (B) 0.38": what a model giving one answer to every item scores (the top few). */
const constantText = (scores: Summary["evaluations"][number]["constantResponders"]): string =>
  scores.length === 0 ? "n/a" : `${scores.slice(0, 4).map((c) => `${c.answer} ${num(c.score, 3)}`).join(", ")}${scores.length > 4 ? ", ..." : ""}`

/** Where each evaluation's samples came from, what was skipped, the subset taken and any real run's scores. */
export const datasetsSection: MemoSection = {
  id: "datasets",
  title: "Datasets",
  major: false,
  render: (s: Summary) => {
    const skipped = s.evaluations.filter((e) => e.dataset.skipped > 0)
    const baselines = s.evaluations.flatMap((e) => (e.dataset.baseline === undefined ? [] : [baselineItem(e.id, e.dataset.baseline)]))
    const blocks: Array<Block> = [
      table(
        ["evaluation", "title", "source", "format", th("records read", { align: "number" }), th("skipped", { align: "number" }), "samples used", "constant answers score"],
        s.evaluations.map((e) => [
          e.id,
          e.title,
          cell([code(e.dataset.source)]),
          e.dataset.format,
          cell(String(e.dataset.records), { align: "number" }),
          cell(String(e.dataset.skipped), { align: "number" }),
          `${e.samples} (${subsetText(e.dataset)})`,
          constantText(e.constantResponders)
        ])
      )
    ]
    if (skipped.length > 0) {
      blocks.push(
        paragraph("Malformed records were skipped (the dataset asked for ", code("onBadRecord: skip"), "); the first of them:"),
        bullets(skipped.flatMap((e) => e.dataset.skippedExamples.map((x): Inlines => [`${e.id}: ${x}`])))
      )
    }
    if (baselines.length > 0) blocks.push(paragraph("Scores of real runs recorded in imported logs, for comparison with the organisms' measured values:"), bullets(baselines))
    return blocks
  }
}
