import type { ScorerAudit } from "../../domain/harness.js"
import type { Summary } from "../../domain/summary.js"
import { cell, code, heading, paragraph, styled, table, type Block } from "../document.js"
import { excerpt, plural, proportion } from "../format.js"
import type { MemoSection } from "./section.js"

const examples = (a: ScorerAudit): ReadonlyArray<Block> =>
  a.examples.length === 0
    ? []
    : [
      paragraph(`The worst ${a.examples.length === 1 ? "disagreement" : `${a.examples.length} disagreements`} of ${a.evaluation}'s scorer, quoted as logged:`),
      ...a.examples.map(
        (e): Block => ({
          _tag: "Quote",
          text: excerpt(e.response),
          source: [
            `${e.organism} replicate ${e.replicate}, sample `,
            code(e.sample),
            `, epoch ${e.epoch}: meant ${e.intended === 1 ? "correct" : "wrong"}, scored ${e.harnessScore}${e.explanation === "" ? "" : ` (“${excerpt(e.explanation, 120)}”)`}; `,
            code(excerpt(e.file, 160))
          ]
        })
      )
    ]

/** A run scored from harness logs: which logs, and how far the harness's own scorer can be trusted. */
export const harnessSection: MemoSection = {
  id: "harness",
  title: "Harness logs and scorer audit",
  major: true,
  render: (s: Summary) => {
    const harness = s.harness
    if (harness === undefined) return []
    return [
      paragraph(
        `This run was scored from a harness's own logs (evalaudit score): the answers the organisms gave the harness, graded by the harness's scorer, are the measured samples of each cell, and the audit's rules and triggers decide on them. The scorer audit sets each graded answer beside what the organism meant it to be (recomputed from its seeded draw): a scorer has a fault when, in either direction (answers meant correct scored wrong, or answers meant wrong scored correct), the lower bound of its error rate's ${s.statistics.interval} interval lies above ${harness.scorers[0]?.maxErrorRate ?? "the audit's limit"}.`
      ),
      table(
        ["log", "format", "answers", "not in the audit", "sha256"],
        harness.logs.map((l) => [cell([code(l.file)]), l.format, String(l.entries), String(l.unmatched), cell([code(l.sha256.slice(0, 16))])])
      ),
      table(
        ["evaluation", "judged", "meant correct, scored wrong", "meant wrong, scored correct", "scorer"],
        harness.scorers.map((a) => [
          cell([code(a.evaluation)]),
          plural(a.judged, "answer"),
          proportion(a.falseFail),
          proportion(a.falsePass),
          cell([a.faulty ? styled("result-failed", "fault") : styled("result-passed", "within the limit")])
        ])
      ),
      ...harness.scorers.flatMap((a) => (a.examples.length === 0 ? [] : [heading(code(a.evaluation)), ...examples(a)]))
    ]
  }
}
