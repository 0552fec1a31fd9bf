import type { Summary, SweepSubject } from "../../domain/summary.js"
import { cell, code, heading, paragraph, table, type Block } from "../document.js"
import { detectionCurveFile, detectionCurveSvg } from "../detection-curve-svg.js"
import { num, percent, plural } from "../format.js"
import { DETECTION_PROBABILITY } from "../../scoring/sweeps.js"
import type { MemoSection } from "./section.js"

const thresholdText = (t: SweepSubject["detectionThreshold"], parameter: string): string =>
  t === null ? "none in the grid" : `${parameter} ${t.direction === "at-or-above" ? ">=" : "<="} ${t.value}`

/** Detection curves per sweep: the chart (inline SVG, or the file beside the Markdown memo) and its table. */
export const sweepsSection: MemoSection = {
  id: "sweeps",
  title: "Detection curves",
  major: true,
  render: (s: Summary) =>
    s.sweeps.flatMap((sweep): ReadonlyArray<Block> => [
      heading(`Sweep ${sweep.id}: ${sweep.title}`),
      paragraph(
        `The ${sweep.archetype} organism with `,
        code(sweep.parameter),
        ` at ${sweep.values.join(", ")}, ${plural(s.replicates, "replicate")} each. A cell is P(fires) over replicates; * marks the values at which the organism's truth calls for the subject to fire. Only evaluations and triggers that measure what the swept defect distorts are shown. The detection threshold is the value beyond which the subject fires in at least ${percent(DETECTION_PROBABILITY)} of replicates.`
      ),
      { _tag: "Figure", svg: detectionCurveSvg(sweep, { standalone: false }), file: detectionCurveFile(sweep.id), alt: `Detection curves over ${sweep.parameter}` },
      table(
        ["subject", ...sweep.values.map(String), "detection threshold"],
        sweep.subjects.map((subject) => [
          `${subject.kind === "trigger" ? "trigger " : ""}${subject.id}`,
          ...subject.points.map((p) => cell(p.detection.estimate === null ? num(null) : `${num(p.detection.estimate)}${p.shouldFire ? "*" : ""}`, { align: "number" })),
          thresholdText(subject.detectionThreshold, sweep.parameter)
        ])
      )
    ])
}
