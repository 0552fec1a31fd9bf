import type { Summary } from "../../domain/summary.js"
import { bullets, paragraph, strong, table } from "../document.js"
import { ciLabel, proportion, signed } from "../format.js"
import type { MemoSection } from "./section.js"

const leadText = (lead: number | null): string => (lead === null ? "never fires" : lead === 0 ? "0" : signed(lead, 0))

/** When each trigger fires over a checkpoint series, against when its capability arrives. */
export const timingSection: MemoSection = {
  id: "timing",
  title: "Commitment timing",
  major: false,
  render: (s: Summary) =>
    s.timing.length === 0
      ? []
      : [
        paragraph(
          "Each series models successive training checkpoints whose true value rises. Lead time = the checkpoint where the truth first crosses the trigger's thresholds minus the checkpoint where the trigger first fires (positive: early warning; negative: late), per replicate; \"late\" counts replicates where it fired after the crossing or never. Only firings on checkpoints whose truth lies in the warning band (at or above the thresholds lowered by the offset) count as warnings; a firing on an earlier checkpoint is a false alarm, counted apart, unless its truth lies inside the indifference zone (neither right nor wrong) or a cannot-rule-out rule fired below its threshold (precaution)."
        ),
        bullets(s.timing.map((t) => [strong(t.trigger), ` over ${t.series}: ${t.sentence}`])),
        table(
          ["series", "trigger", "crossing", "evaluated every", "threshold offset", "warning band from", "median firing", "median lead", `late [${ciLabel(s.statistics.confidence)}]`, "false alarms"],
          s.timing.flatMap((t) =>
            [...t.byCadence, ...(t.buffered === undefined ? [] : [t.buffered])].map((l) => [
              t.series,
              t.trigger,
              t.crossing === null ? "never" : String(t.crossing),
              `${l.cadence}`,
              l.buffer === 0 ? "0" : `-${l.buffer}`,
              l.warningFrom === null ? "never" : String(l.warningFrom),
              l.medianFiring === null ? "never" : String(l.medianFiring),
              leadText(l.medianLead),
              proportion(l.late),
              proportion(l.falseAlarms)
            ])
          )
        )
      ]
}
