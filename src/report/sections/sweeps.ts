import type { Summary, SweepPoint, SweepSubject } from "../../domain/summary.js"
import { cell, code, heading, paragraph, table, type Block } from "../document.js"
import { detectionCurveFile, detectionCurveSvg } from "../detection-curve-svg.js"
import { num, percent, plural } from "../format.js"
import { DETECTION_PROBABILITY } from "../../scoring/sweeps.js"
import type { MemoSection } from "./section.js"

type Threshold = SweepSubject["detectionThreshold"]

const side = (t: NonNullable<Threshold>, parameter: string): string => `${parameter} ${t.direction === "at-or-above" ? ">=" : "<="} ${t.value}`

/** The threshold column: established, only apparent (and what would establish it), or none. */
const thresholdText = (subject: SweepSubject, parameter: string, replicates: number): string => {
  if (subject.detectionThreshold !== null) return side(subject.detectionThreshold, parameter)
  const needed = subject.replicatesNeeded === null ? "" : `; ${subject.replicatesNeeded} replicates firing every time would establish one`
  if (subject.pointThreshold !== null) return `not established with ${plural(replicates, "replicate")} (fires in every replicate from ${side(subject.pointThreshold, parameter)}${needed})`
  return "none in the grid"
}

const label = (subject: SweepSubject): string => `${subject.kind === "trigger" ? "trigger " : ""}${subject.id}`

/**
 * One table row per subject and curve: fires when it should, fires when it should not (false
 * alarm), precautionary firing, borderline (truth inside the indifference zone: neither),
 * exact power at the truth. A curve is shown when some point has it; the threshold goes on
 * the subject's first row.
 */
const rows = (subject: SweepSubject, parameter: string, replicates: number) => {
  const rate = (shown: boolean, estimate: number | null) => cell(shown ? num(estimate) : "", { align: "number" })
  const quiet = (p: SweepPoint) => p.class === "should-not-fire"
  const curves: Array<[string, (p: SweepPoint) => boolean, (p: SweepPoint) => number | null, boolean]> = [
    ["fires when it should", (p) => p.class === "should-fire", (p) => p.detection.estimate, true],
    ["fires when it should not (false alarm)", quiet, (p) => p.falseAlarm.estimate, true],
    ["precautionary firing (cannot rule out, not a false alarm)", quiet, (p) => p.precautionary.estimate, subject.points.some((p) => p.precautionary.k > 0)],
    ["borderline: truth inside the indifference zone (neither)", (p) => p.class === "borderline", (p) => p.detection.estimate, true],
    ["exact power at the truth", (p) => p.power !== null, (p) => p.power, true]
  ]
  const threshold = subject.points.some((p) => p.shouldFire) ? thresholdText(subject, parameter, replicates) : "the truth never calls for firing"
  return curves
    .filter(([, shown, , present]) => present && subject.points.some(shown))
    .map(([name, shown, value], i) => [label(subject), name, ...subject.points.map((p) => rate(shown(p), value(p))), i === 0 ? threshold : ""])
}

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
        ` at ${sweep.values.join(", ")}, ${plural(s.replicates, "replicate")} each. A cell is P(fires) over replicates: a detection rate where the organism's truth calls for the subject to fire, a false-alarm rate where it does not (a cannot-rule-out rule firing below its threshold because the data could not exclude it is precaution, shown apart), and neither where the truth lies inside the indifference zone around the threshold (borderline). For evaluations that are a plain binomial test, the exact power of the rule at the organism's true rate shows what sampling noise alone allows: a detection rate below it is a failure of the evaluation's construct, not of its sample size. Only evaluations and triggers that measure what the swept defect distorts are shown. The detection threshold is the smallest value from which the lower ${s.statistics.confidence * 100}% confidence bound of the detection rate clears ${percent(DETECTION_PROBABILITY)} at every value where the truth calls for firing.`
      ),
      { _tag: "Figure", svg: detectionCurveSvg(sweep, { standalone: false }), file: detectionCurveFile(sweep.id), alt: `Detection curves over ${sweep.parameter}` },
      table(
        ["subject", "curve", ...sweep.values.map(String), "detection threshold"],
        sweep.subjects.flatMap((subject) => rows(subject, sweep.parameter, s.replicates))
      )
    ])
}
