import type { Summary } from "../../domain/summary.js"
import type { PropertyResult } from "../../evaluations/graders/battery/property-result.js"
import { cell, code, heading, joined, note, paragraph, strong, styled, table, type Block, type Cell } from "../document.js"
import { plural, replayCommand } from "../format.js"
import type { MemoSection } from "./section.js"

const resultCell = (p: PropertyResult): Cell => {
  switch (p._tag) {
    case "Passed":
      return cell([styled("result-passed", "passed"), ` (${plural(p.runs, "run")})`])
    case "Interrupted":
      return cell([styled("result-unchecked", "not checked"), `: time limit reached after ${plural(p.runs, "run")}`])
    case "NotApplicable":
      return cell(`not checked: ${p.reason}`)
    case "Failed":
      return cell([styled("result-failed", "failed"), ` after ${plural(p.shrinks, "shrink")}${p.error === null ? "" : `, threw “${p.error}”`}; counterexample and replay below`])
  }
}

/** A failed property's shrunk counterexample (model output, shown verbatim as text) and the command that replays it. */
const failureBlocks = (s: Summary, p: PropertyResult): ReadonlyArray<Block> =>
  p._tag !== "Failed"
    ? []
    : [
      paragraph(strong(p.property), " counterexample:"),
      { _tag: "CodeBlock", text: p.counterexample, style: "counterexample" },
      paragraph(`replay with { seed: ${p.seed}, path: "${p.path}" }:`),
      { _tag: "CodeBlock", text: replayCommand(s.source, p.property, p.seed, p.path), language: "sh" }
    ]

/** Each distinct grader through the property battery, with every failure's counterexample and replay. */
export const gradersSection: MemoSection = {
  id: "graders",
  title: "Grader property battery",
  major: true,
  render: (s: Summary) =>
    s.graders.length === 0
      ? [paragraph("The grader property battery was not run for this audit.")]
      : [
        paragraph(
          "Each distinct grader was put through the property battery (fast-check): totality, determinism, invariance under meaning-preserving rewrites, no credit for hedging, no credit for text injected for the grader, and monotonicity where claimed. A failure shows fast-check's shrunk counterexample (model output: shown as text) and the seed and path that replay it. “Not checked” is not a pass."
        ),
        ...s.graders.flatMap((g): ReadonlyArray<Block> => [
          heading(code(g.grader), " ", g.passed ? styled("result-passed", "passes") : styled("result-failed", "has a fault")),
          note("Used by ", ...joined(g.evaluations.map(code), ", "), "."),
          table(["property", "result"], g.properties.map((p) => [p.property, resultCell(p)]), "grader"),
          ...g.properties.flatMap((p) => failureBlocks(s, p))
        ])
      ]
}
