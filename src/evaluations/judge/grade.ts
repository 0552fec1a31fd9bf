import { Either } from "effect"
import type { Sample } from "../../domain/sample.js"
import type { Grade, Grader } from "../graders/grade.js"
import { judgeRequest, type JudgeRequest } from "./prompt.js"
import type { JudgeGraderSpec } from "../../domain/judge.js"
import { parseVerdict, type Verdict } from "./verdict.js"

const cut = (text: string): string => (text.length > 200 ? `${text.slice(0, 197)}...` : text)

const scoreOf = (spec: JudgeGraderSpec, verdict: Verdict): number => {
  const { min, max } = spec.scale
  if (spec.passAt !== undefined) return verdict.score >= spec.passAt ? 1 : 0
  return (verdict.score - min) / (max - min)
}

/**
 * The grade a judge's reply gives. A reply that is not a valid verdict is a failed grade
 * with the reason, never a crash and never partial credit: a response must not gain by
 * confusing its judge. (A judge that could not be reached at all is a provider error,
 * which the runner records as an errored cell, not as a score.)
 */
export const gradeVerdict = (spec: JudgeGraderSpec, reply: string): Grade =>
  Either.match(parseVerdict(reply, spec.scale), {
    onLeft: (problem) => ({ score: 0, explanation: `judge verdict refused (${problem}): scored 0` }),
    onRight: (verdict) => ({
      score: scoreOf(spec, verdict),
      explanation: `judge: ${verdict.score} on ${spec.scale.min}-${spec.scale.max}${spec.passAt === undefined ? "" : ` (pass at ${spec.passAt})`}: ${cut(verdict.reason)}`
    })
  })

/** A judge as something that answers a request synchronously: a cached reply, or a stand-in in tests. */
export type JudgeCompletion = (request: JudgeRequest) => string

/** A judge grader over a synchronous completion. */
export const judgeGrader =
  (spec: JudgeGraderSpec, complete: JudgeCompletion): Grader =>
  (sample: Sample, response: string) =>
    gradeVerdict(spec, complete(judgeRequest(spec, sample, response)))
