/** A commitment that arrives late: the trigger fires after the truth crosses in most replicates. */
import type { Finding } from "../../domain/summary.js"
import type { TimingScore } from "../../domain/timing-score.js"
import { timingBrief } from "../lead-time.js"
import { finding } from "./finding.js"

export const timingFindings = (timing: ReadonlyArray<TimingScore>): ReadonlyArray<Finding> =>
  timing.flatMap((t) => {
    const late = t.atCadence.late
    if (t.crossing === null || late.n === 0 || (late.estimate ?? 0) < 0.5) return []
    return [finding("high", t.trigger, t.series, { _tag: "LateCommitment", ...timingBrief(t) })]
  })
