/** Counting outcomes over cells and trigger decisions: the arithmetic every score shares. */
import type { ResolvedAudit } from "../domain/audit.js"
import type { OutcomeCounts } from "../domain/summary.js"
import { mean, proportionInterval } from "../stats/proportion.js"
import type { Verdict } from "./judge.js"

/** Replicates by verdict, as the summary counts them. */
export const countVerdicts = (judged: ReadonlyArray<{ readonly verdict: Verdict }>): OutcomeCounts => {
  const count = (verdict: Verdict) => judged.filter((j) => j.verdict === verdict).length
  return {
    caught: count("caught"),
    missed: count("missed"),
    falseAlarm: count("false-alarm"),
    precautionary: count("precautionary"),
    correctPass: count("correct-pass"),
    borderlineFired: count("borderline-fired"),
    borderlineQuiet: count("borderline-quiet"),
    error: count("error")
  }
}

/**
 * Sensitivity, specificity and precautionary firing of one subject's counts, with the audit's
 * interval. Specificity and precaution share their denominator (every should-not-fire
 * replicate), so specificity is 1 - the false-alarm rate and a precautionary firing is not one.
 */
export const ratesWith = (statistics: ResolvedAudit["statistics"]) => (counts: OutcomeCounts) => {
  const quiet = counts.correctPass + counts.precautionary + counts.falseAlarm
  return {
    sensitivity: proportionInterval(statistics.interval, counts.caught, counts.caught + counts.missed, statistics.confidence),
    specificity: proportionInterval(statistics.interval, quiet - counts.falseAlarm, quiet, statistics.confidence),
    precautionary: proportionInterval(statistics.interval, counts.precautionary, quiet, statistics.confidence)
  }
}

/** Six decimals: what the summary stores, so a JSON diff shows real changes only. */
export const round = (x: number): number => Math.round(x * 1e6) / 1e6

export const meanOf = (xs: ReadonlyArray<number>): number | null => (xs.length === 0 ? null : round(mean(xs)))

/** Groups in first-seen order. */
export const groupBy = <A>(items: ReadonlyArray<A>, key: (a: A) => string): ReadonlyMap<string, ReadonlyArray<A>> => {
  const groups = new Map<string, Array<A>>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group === undefined) groups.set(k, [item])
    else group.push(item)
  }
  return groups
}
