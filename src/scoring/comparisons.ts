import type { Comparison } from "../domain/comparison.js"
import type { ComparisonRow, ComparisonScore, PairedEstimateJson } from "../domain/statistics-summary.js"
import { pairedComparison } from "../stats/paired.js"
import type { SampleScore } from "../domain/run.js"

export type { SampleScore }

const round = (x: number): number => Math.round(x * 1e6) / 1e6

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

interface Keyed {
  readonly replicate: number
  readonly sample: string
  readonly score: number
}

/** One score per (replicate, sample): entries sharing a key (epochs) are averaged. */
const perSample = (scores: ReadonlyArray<SampleScore>): Map<string, Keyed> => {
  const sums = new Map<string, { replicate: number; sample: string; total: number; count: number }>()
  for (const s of scores) {
    const key = JSON.stringify([s.replicate, s.sample])
    const entry = sums.get(key)
    if (entry === undefined) sums.set(key, { replicate: s.replicate, sample: s.sample, total: s.score, count: 1 })
    else {
      entry.total += s.score
      entry.count++
    }
  }
  return new Map([...sums].map(([key, e]) => [key, { replicate: e.replicate, sample: e.sample, score: e.total / e.count }]))
}

const estimate = (pairs: ReadonlyArray<{ readonly a: Keyed; readonly b: Keyed }>, confidence: number): PairedEstimateJson | null => {
  if (pairs.length === 0) return null
  // x = b, y = a, so the paired difference is b - a; clustered by sample, which recurs in every replicate.
  const paired = pairedComparison(
    pairs.map((p) => p.b.score),
    pairs.map((p) => p.a.score),
    { confidence, clusters: pairs.map((p) => p.a.sample) }
  )
  return {
    meanA: round(paired.meanY),
    meanB: round(paired.meanX),
    difference: round(paired.meanDifference),
    lower: paired.interval === null ? null : round(paired.interval.lower),
    upper: paired.interval === null ? null : round(paired.interval.upper),
    standardError: round(paired.standardError),
    unpairedStandardError: round(paired.unpairedStandardError),
    discordant:
      paired.discordant === null
        ? null
        : { aOnly: paired.discordant.yOnly, bOnly: paired.discordant.xOnly, pValue: round(paired.discordant.pValue) }
  }
}

/**
 * Scores a comparison: per organism, a's and b's per-sample scores are paired on (replicate,
 * sample) and summarised as mean a, mean b and b - a with a paired interval clustered by
 * sample id. Pairs are taken in (replicate, sample id) order, so the result does not depend
 * on the order of `scores`. `organisms` lists the rows, in order (the scored organisms).
 */
export const comparisonScores = (
  comparison: Comparison,
  scores: ReadonlyArray<SampleScore>,
  organisms: ReadonlyArray<string>,
  confidence = 0.95
): ComparisonScore => {
  const rows = organisms.map((organism): ComparisonRow => {
    const own = scores.filter((s) => s.organism === organism)
    const a = perSample(own.filter((s) => s.evaluation === comparison.a))
    const b = perSample(own.filter((s) => s.evaluation === comparison.b))
    const pairs = [...a].flatMap(([key, left]) => {
      const right = b.get(key)
      return right === undefined ? [] : [{ a: left, b: right }]
    })
    pairs.sort((p, q) => p.a.replicate - q.a.replicate || byCodePoint(p.a.sample, q.a.sample))
    return {
      organism,
      pairs: pairs.length,
      samples: new Set(pairs.map((p) => p.a.sample)).size,
      unmatched: a.size + b.size - 2 * pairs.length,
      estimate: estimate(pairs, confidence)
    }
  })
  return { id: comparison.id, title: comparison.title ?? comparison.id, a: comparison.a, b: comparison.b, confidence, organisms: rows }
}
