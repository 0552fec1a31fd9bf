/** Counting outcomes over cells and trigger decisions: the arithmetic every score shares. */
import type { ResolvedAudit } from "../domain/audit.js"
import type { CellResult, Outcome, TriggerResult } from "../domain/outcome.js"
import type { OutcomeCounts } from "../domain/summary.js"
import { mean, proportionInterval } from "../stats/proportion.js"

/** One organism-replicate decision of a subject; an errored cell is an `error`, never an outcome. */
export interface Decided {
  readonly organism: string
  readonly replicate: number
  readonly outcome: Outcome | "error"
}

export const countOutcomes = (results: ReadonlyArray<Decided>): OutcomeCounts => {
  const count = (outcome: Decided["outcome"]) => results.filter((r) => r.outcome === outcome).length
  return { caught: count("caught"), missed: count("missed"), falseAlarm: count("false-alarm"), correctPass: count("correct-pass"), error: count("error") }
}

export const cellOutcome = (c: CellResult): Decided => ({
  organism: c.organism,
  replicate: c.replicate,
  outcome: c._tag === "Measured" ? c.outcome : "error"
})

export const triggerOutcome = (t: TriggerResult): Decided => ({
  organism: t.organism,
  replicate: t.replicate,
  outcome: t._tag === "Decided" ? t.outcome : "error"
})

/** Sensitivity and specificity of one subject's outcome counts, with the audit's interval. */
export const ratesWith = (statistics: ResolvedAudit["statistics"]) => (counts: OutcomeCounts) => ({
  sensitivity: proportionInterval(statistics.interval, counts.caught, counts.caught + counts.missed, statistics.confidence),
  specificity: proportionInterval(statistics.interval, counts.correctPass, counts.correctPass + counts.falseAlarm, statistics.confidence)
})

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
