/**
 * Organisms as the unit: replicates of one organism are driven by its defect, so "5 of 10
 * replicates" over two organisms is really two organisms, one always caught and one never.
 * Per subject and organism a detection probability over replicates; over organisms, how many
 * are reliably caught and the mean detection probability with the organisms as the units.
 */
import type { ResolvedAudit } from "../domain/audit.js"
import type { OrganismDetection, OrganismRow, OutcomeCounts } from "../domain/summary.js"
import { proportionInterval } from "../stats/proportion.js"
import type { Judged } from "./judge.js"
import { countVerdicts, groupBy, ratesWith, round } from "./outcome-counts.js"
import type { Scope } from "./scoring-input.js"

type Statistics = ResolvedAudit["statistics"]

/** The part of an organism row every subject has: what the truth calls for, the verdicts, the firing rate. */
export type RowCore = Pick<OrganismRow, "organism" | "shouldFire" | "class" | "relevant" | "outcomes" | "firing">

/** A truth class as the summary writes it. */
export const CLASS_JSON = { fire: "should-fire", quiet: "should-not-fire", borderline: "borderline" } as const

const fired = (o: OutcomeCounts): number => o.caught + o.falseAlarm + o.precautionary + o.borderlineFired
const decided = (o: OutcomeCounts): number => fired(o) + o.missed + o.correctPass + o.borderlineQuiet

export const rowCore = (organism: string, own: ReadonlyArray<Judged>, relevant: boolean, statistics: Statistics): RowCore => {
  const outcomes = countVerdicts(own)
  // The truth is the organism's, the same in every replicate; a row with no decision says "should-not-fire".
  const cls = CLASS_JSON[own[0]?.truth ?? "quiet"]
  return {
    organism,
    shouldFire: cls === "should-fire",
    class: cls,
    relevant: relevant && cls === "should-fire",
    outcomes,
    firing: proportionInterval(statistics.interval, fired(outcomes), decided(outcomes), statistics.confidence)
  }
}

/** Replicates an organism caught every time needs for its detection probability's lower bound to reach `level`. */
export const replicatesForLevel = (level: number, statistics: Statistics): number | null => {
  for (let n = 1; n <= 10_000; n++) if (proportionInterval(statistics.interval, n, n, statistics.confidence).lower >= level) return n
  return null
}

/** Over the given should-fire rows: reliably caught, mean detection with organisms as units, pooled sensitivity, error bounds. */
export const organismDetection = (rows: ReadonlyArray<RowCore>, level: number, statistics: Statistics, anyErrored: boolean): OrganismDetection => {
  const { interval, confidence } = statistics
  const counted = rows.filter((r) => r.class === "should-fire")
  const caught = counted.reduce((n, r) => n + r.outcomes.caught, 0)
  const missed = counted.reduce((n, r) => n + r.outcomes.missed, 0)
  const errored = counted.reduce((n, r) => n + r.outcomes.error, 0)
  const probabilities = counted.flatMap((r) => {
    const n = r.outcomes.caught + r.outcomes.missed
    return n === 0 ? [] : [r.outcomes.caught / n]
  })
  const total = probabilities.reduce((a, b) => a + b, 0)
  // A cluster-level analysis: each organism one unit carrying its detection probability.
  const mean = proportionInterval(interval, total, probabilities.length, confidence)
  const interval_ = (k: number, n: number) => proportionInterval(interval, k, n, confidence)
  return {
    organisms: counted.map((r) => r.organism),
    reliablyCaught: counted
      .filter((r) => r.outcomes.caught + r.outcomes.missed > 0 && interval_(r.outcomes.caught, r.outcomes.caught + r.outcomes.missed).lower >= level)
      .map((r) => r.organism),
    level,
    replicatesForLevel: replicatesForLevel(level, statistics),
    meanDetection: { estimate: mean.estimate === null ? null : round(mean.estimate), lower: round(mean.lower), upper: round(mean.upper) },
    sensitivity: interval_(caught, caught + missed),
    errorBounds: anyErrored ? { errored, best: interval_(caught + errored, caught + missed + errored), worst: interval_(caught, caught + missed + errored) } : null
  }
}

/** One subject's organism rows (in scope order) and its scores: headline over relevant organisms, then all, then pooled rates. */
export const subjectScores = (judged: ReadonlyArray<Judged>, scope: Scope, relevantTo: (organism: string) => boolean, level: number, statistics: Statistics) => {
  const byOrganism = groupBy(judged, (j) => j.organism)
  const rows = scope.ordered.map((o) => rowCore(o, byOrganism.get(o) ?? [], relevantTo(o), statistics))
  const counts = countVerdicts(judged)
  const anyErrored = counts.error > 0
  return {
    rows,
    relevant: organismDetection(rows.filter((r) => r.relevant), level, statistics, anyErrored),
    allOrganisms: organismDetection(rows, level, statistics, anyErrored),
    ...ratesWith(statistics)(counts),
    errors: counts.error
  }
}
