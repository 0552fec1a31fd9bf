/** Commitment timing of every checkpoint series against the triggers that watch what it grows. */
import { measureLabel } from "../domain/measure.js"
import type { TimingScore } from "../domain/timing-score.js"
import { timingScores } from "./lead-time.js"
import type { ScoringInput } from "./scoring-input.js"

export const policyTiming = ({ audit, cells, run }: ScoringInput): ReadonlyArray<TimingScore> =>
  audit.series.flatMap((series) => {
    const grows = measureLabel(series.quantity)
    // Only triggers with a condition on what the series grows: the rest have nothing to time.
    const relevant = (audit.policy?.triggers ?? []).filter((t) =>
      t.conditions.some((c) => audit.evaluations.some((e) => e.id === c.evaluation && measureLabel(e.measures) === grows))
    )
    return timingScores(series, audit.evaluations, relevant, cells, run.replicates, { indifference: audit.indifference })
  })
