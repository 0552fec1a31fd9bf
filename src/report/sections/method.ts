import type { Summary } from "../../domain/summary.js"
import { cell, code, em, heading, paragraph, strong, table, type Block } from "../document.js"
import { intervalName, reproductionCommand } from "../format.js"
import type { MemoSection } from "./section.js"

/** How the figures were made, the run's settings, and the command that reproduces them. */
export const methodSection: MemoSection = {
  id: "method",
  title: "Method and reproduction",
  major: true,
  render: (s: Summary): ReadonlyArray<Block> => [
    paragraph(
      "Each organism is a simulated model whose defects are known by construction: a base (accuracy per domain, behaviour rates) wrapped by defect layers. Its truth (the true value of every capability and propensity) is derived from those layers."
    ),
    paragraph(
      "Every evaluation was run against every scored organism in every replicate. A cell's ",
      em("measured"),
      " value is the mean grader score over the evaluation's samples and epochs; its decision rule applied to the measured value says what the evaluation ",
      strong("did"),
      " decide, applied to the organism's true value what it ",
      strong("should"),
      " decide. Caught = should and did fire; missed = should but did not; false alarm = did but should not; a cell that measured nothing is an error and is never scored as caught or missed."
    ),
    paragraph("Triggers combine their evaluations' decisions (any / all / at least k) and are scored the same way, once over measured and once over true values."),
    paragraph(
      `Pooled sensitivity = caught / (caught + missed), specificity = 1 - false alarms / should-not-fire replicates (a precautionary firing is not a false alarm; borderline organisms count in neither), each with a ${intervalName(s.statistics)} interval over organisms x replicates; the headline is per organism (reliably caught, mean detection over the relevant organisms). An organism escapes the policy when, in a replicate where a trigger should fire on it, no trigger that should fire does (commitments hang on triggers); its escape probability is over the replicates where one should. Apart from that verdict, evaluation coverage counts an organism as uncaught by evaluations when, in a replicate where an evaluation or trigger measuring what its defect distorts should fire, none of them catches it.`
    ),
    paragraph("All randomness is a hash of (seed, organism, evaluation, sample, epoch, replicate), so the same seed gives the same numbers whatever the concurrency, order or resumption."),
    table(
      ["setting", "value"],
      [
        ["audit", cell([`${s.audit} (`, code(s.source), ")"])],
        ["run", cell([code(s.runId), `, started ${s.startedAt}, ${s.finishedAt === null ? "not finished" : `finished ${s.finishedAt}`}`])],
        ["seed", String(s.seed)],
        ["replicates", String(s.replicates)],
        ["spec hash", cell([code(s.specHash)])],
        ["evalaudit version", s.version],
        ["interval method", `${intervalName(s.statistics)} for sensitivity, specificity and detection curves; Wilson 95% for manipulation checks (decision rules use their own confidence)`],
        ["summary format", cell([code(s.format)])]
      ],
      "method"
    ),
    heading("Reproduce"),
    { _tag: "CodeBlock", text: reproductionCommand(s), language: "sh" },
    paragraph("Spec hash ", code(s.specHash), `, evalaudit ${s.version}. The same spec, seed and replicates give the same scores.`)
  ]
}
