import type { Summary } from "../../domain/summary.js"
import { cell, paragraph, table, th, type Cell } from "../document.js"
import { errorBoundsText, meanDetectionText, reliablyText } from "../detection-text.js"
import { ciLabel, intervalName, num, plural, proportion, type ProportionFigures } from "../format.js"
import type { MemoSection } from "./section.js"

type Tone = "sensitivity" | "specificity"

/** "0.60 (6/10) [0.31, 0.83]", drawn as an interval bar in the HTML memo. */
export const rateCell = (p: ProportionFigures & { readonly estimate: number | null }, tone: Tone): Cell => {
  const text = proportion(p)
  return cell(text, { visual: { _tag: "IntervalBar", estimate: p.estimate, lower: p.lower, upper: p.upper, tone, label: `${tone} ${text}` } })
}

/** Borderline organisms with their firing rate, and best/worst sensitivity where cells errored: one paragraph per subject that has any. */
const notes = (subjects: ReadonlyArray<Summary["triggers"][number] | Summary["evaluations"][number]>) =>
  subjects.flatMap((x) => {
    const borderline = x.organisms.filter((r) => r.class === "borderline").map((r) => `${r.organism} fired in ${proportion(r.firing)}`)
    const errors = errorBoundsText(x.allOrganisms)
    const parts = [...(borderline.length === 0 ? [] : [`borderline: ${borderline.join("; ")}`]), ...(errors === "" ? [] : [errors])]
    return parts.length === 0 ? [] : [paragraph(`${x.id}: ${parts.join("; ")}.`)]
  })

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
        paragraph(
          `Headline: the relevant organisms (whose defect distorts a quantity the trigger's conditions measure) reliably caught, and their mean detection probability with each organism one unit; then every organism pooled over replicates. Precautionary firing (a cannot-rule-out condition unable to exclude its threshold) is counted apart from false alarms; borderline organisms (truth inside the indifference zone) in neither.`
        ),
        table(
          ["trigger", "commitment", "rule", "relevant organisms", th(`mean detection [${ciLabel(s.statistics.confidence)}]`), rateHeader(s, "sensitivity"), rateHeader(s, "specificity"), "precautionary firing", th("errors", { align: "number" })],
          s.triggers.map((t) => [
            t.id,
            t.commitment,
            t.rule,
            reliablyText(t.relevant),
            meanDetectionText(t.relevant),
            rateCell(t.sensitivity, "sensitivity"),
            rateCell(t.specificity, "specificity"),
            proportion(t.precautionary),
            cell(String(t.errors), { align: "number" })
          ]),
          "rates"
        ),
        ...notes(s.triggers)
      ]
}

/** Each evaluation's sensitivity and specificity over scored organisms x replicates. */
export const ratesSection: MemoSection = {
  id: "rates",
  title: "Evaluations: sensitivity and specificity",
  major: true,
  render: (s: Summary) => [
    paragraph(
      `The headline is over the relevant organisms (whose defect distorts the quantity the evaluation measures and whose truth calls for firing): how many are reliably caught (detection probability's lower bound at least ${num(s.scoring.reliability.evaluations)}) and their mean detection probability, with each organism one unit. Sensitivity = caught / (caught + missed) over every organism x replicate (secondary); specificity = 1 - the false-alarm rate over should-not-fire replicates, where precautionary firing (a cannot-rule-out rule unable to exclude its threshold while measuring below it) is reported apart, not as a false alarm. Organisms whose truth lies inside the indifference zone (± the half-width shown around the threshold) are borderline and count in neither. Intervals are ${intervalName(s.statistics)}; "– (0/0)" means no case applied (no estimate, not a perfect score).`
    ),
    table(
      [
        "evaluation",
        "measures",
        "decision rule",
        th("samples", { align: "number" }),
        "relevant organisms",
        th(`mean detection [${ciLabel(s.statistics.confidence)}]`),
        rateHeader(s, "sensitivity"),
        rateHeader(s, "specificity"),
        "precautionary firing",
        th("errors", { align: "number" })
      ],
      s.evaluations.map((e) => [
        e.id,
        e.measures,
        `${e.rule} (± ${e.indifference})`,
        cell(e.epochs > 1 ? `${e.samples} x ${plural(e.epochs, "epoch")}` : String(e.samples), { align: "number" }),
        reliablyText(e.relevant),
        meanDetectionText(e.relevant),
        rateCell(e.sensitivity, "sensitivity"),
        rateCell(e.specificity, "specificity"),
        proportion(e.precautionary),
        cell(String(e.errors), { align: "number" })
      ]),
      "rates"
    ),
    ...notes(s.evaluations)
  ]
}
