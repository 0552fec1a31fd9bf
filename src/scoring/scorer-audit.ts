/**
 * The scorer audit of a run scored from harness logs: per evaluation, how often the
 * harness's own scorer disagreed with what the organism meant its answer to be. Pure.
 */
import type { ScorerAudit, ScorerExample } from "../domain/harness.js"
import type { HarnessSampleRecord } from "../domain/harness.js"
import type { Finding } from "../domain/summary.js"
import { proportionInterval, type IntervalMethod } from "../stats/proportion.js"
import { finding } from "./findings/finding.js"

const EXAMPLES = 5

/** A harness score read as the verdict it stands for: 0.5 or more credits the answer. */
const credited = (score: number): 0 | 1 => (score >= 0.5 ? 1 : 0)

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const example = (r: HarnessSampleRecord & { readonly intended: 0 | 1 }): ScorerExample => ({
  organism: r.organism,
  replicate: r.replicate,
  sample: r.sample,
  epoch: r.epoch,
  intended: r.intended,
  harnessScore: r.harnessScore,
  response: r.response,
  explanation: r.explanation,
  file: r.file
})

/** One audit per evaluation with a judged answer, in evaluation order of first appearance. */
export const scorerAudits = (
  samples: ReadonlyArray<HarnessSampleRecord>,
  maxErrorRate: number,
  statistics: { readonly interval: IntervalMethod; readonly confidence: number }
): ReadonlyArray<ScorerAudit> => {
  const byEvaluation = new Map<string, Array<HarnessSampleRecord & { readonly intended: 0 | 1 }>>()
  for (const s of samples) {
    if (s.intended === null) continue
    const { intended } = s
    const list = byEvaluation.get(s.evaluation) ?? []
    byEvaluation.set(s.evaluation, list)
    list.push({ ...s, intended })
  }
  return [...byEvaluation].map(([evaluation, judged]) => {
    const meantCorrect = judged.filter((s) => s.intended === 1)
    const meantWrong = judged.filter((s) => s.intended === 0)
    const interval = (k: number, n: number) => {
      const p = proportionInterval(statistics.interval, k, n, statistics.confidence)
      return { k, n, estimate: n === 0 ? null : p.estimate, lower: n === 0 ? 0 : p.lower, upper: n === 0 ? 1 : p.upper }
    }
    const falseFail = interval(meantCorrect.filter((s) => credited(s.harnessScore) === 0).length, meantCorrect.length)
    const falsePass = interval(meantWrong.filter((s) => credited(s.harnessScore) === 1).length, meantWrong.length)
    const wrong = judged
      .filter((s) => credited(s.harnessScore) !== s.intended)
      .sort(
        (a, b) =>
          Math.abs(b.harnessScore - b.intended) - Math.abs(a.harnessScore - a.intended) ||
          byCodePoint(a.organism, b.organism) ||
          a.replicate - b.replicate ||
          byCodePoint(a.sample, b.sample) ||
          a.epoch - b.epoch
      )
    return {
      evaluation,
      judged: judged.length,
      falseFail,
      falsePass,
      maxErrorRate,
      faulty: falseFail.lower > maxErrorRate || falsePass.lower > maxErrorRate,
      examples: wrong.slice(0, EXAMPLES).map(example)
    }
  })
}

/** A high finding per evaluation whose harness scorer errs beyond the audit's limit. */
export const scorerFindings = (audits: ReadonlyArray<ScorerAudit>): ReadonlyArray<Finding> =>
  audits.flatMap((a) =>
    a.faulty
      ? [
        finding("high", a.evaluation, null, {
          _tag: "ScorerFault",
          judged: a.judged,
          falseFail: a.falseFail,
          falsePass: a.falsePass,
          maxErrorRate: a.maxErrorRate,
          example: a.examples[0] ?? null
        })
      ]
      : []
  )
