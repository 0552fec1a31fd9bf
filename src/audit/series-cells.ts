import type { ResolvedEvaluation } from "../domain/evaluation.js"
import type { CellResult } from "../domain/outcome.js"
import type { Trigger } from "../domain/policy.js"
import type { TimingScore } from "../domain/timing-score.js"
import { checkpointOrganisms, evaluatedCheckpoints, type OrganismSeries } from "../domain/series.js"
import { simulate } from "../organisms/organism.js"
import { timingScores, type TimingOptions } from "../scoring/lead-time.js"
import { measureInProcess, prepareEvaluation } from "../measure/measure-cell.js"
import { simulatedRespondent } from "../measure/respondent.js"

/**
 * Measures every given evaluation on each checkpoint in `checkpoints` (default: all, so
 * every cadence can be scored from the same cells) in each replicate, in-process. Each
 * checkpoint is its own organism id, so checkpoints draw independent noise, as successive
 * evaluations of successive models do. Coarser cadences reuse the finer ones' cells: their
 * checkpoints are a subset, so a coarser cadence (of a multiple) never fires earlier in a
 * replicate.
 */
export const seriesCells = (
  series: OrganismSeries,
  evaluations: ReadonlyArray<ResolvedEvaluation>,
  seed: number,
  replicates: number,
  checkpoints: ReadonlyArray<number> = evaluatedCheckpoints(series.checkpoints, 1)
): Array<CellResult> => {
  const prepared = evaluations.map(prepareEvaluation)
  const organisms = checkpointOrganisms(series)
  return checkpoints.flatMap((c) => {
    const spec = organisms[c]
    if (spec === undefined) return []
    const respondent = simulatedRespondent(simulate(spec))
    return prepared.flatMap((p) => Array.from({ length: replicates }, (_, r) => measureInProcess(p, respondent, seed, r).result))
  })
}

/** Measures the series (every checkpoint, so every cadence can be compared) and scores every trigger. */
export const auditTiming = (
  series: OrganismSeries,
  evaluations: ReadonlyArray<ResolvedEvaluation>,
  triggers: ReadonlyArray<Trigger>,
  seed: number,
  replicates: number,
  options: TimingOptions = {}
): Array<TimingScore> => timingScores(series, evaluations, triggers, seriesCells(series, evaluations, seed, replicates), replicates, options)

