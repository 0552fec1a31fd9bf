/** A judge grader put to the grader property battery. */
import type fc from "fast-check"
import type { GraderClaims, GraderUnderTest, GradingCase, LabelledExample } from "../graders/battery/grader-under-test.js"
import { sha256Hex } from "../../stats/seeded-random.js"
import { judgeGrader, type JudgeCompletion } from "./grade.js"
import type { JudgeGraderSpec } from "../../domain/judge.js"

/**
 * What a judge claims by construction. Totality and determinism are not claims the battery
 * gates on: it checks them for every grader, and a judge holds them by construction (a
 * malformed verdict scores 0; requests go at temperature 0 through a response cache).
 * Whether it is case-insensitive, refuses hedges or is monotone depends on the rubric and
 * the model, so by default it claims none of them; give `claims` to assert them.
 */
export const judgeClaims: GraderClaims = { caseInsensitive: false, singleAnswer: false, monotone: false }

/** The battery properties every judge is expected to pass. */
export const JUDGE_PROPERTIES: ReadonlyArray<string> = ["totality", "determinism", "discrimination", "no-credit-for-injection"]

export interface JudgeUnderTestOptions {
  readonly name?: string | undefined
  /** Cases the judge's rubric applies to; without them discrimination and injection cannot run. */
  readonly cases?: fc.Arbitrary<GradingCase> | undefined
  readonly claims?: Partial<GraderClaims> | undefined
  readonly labelled?: ReadonlyArray<LabelledExample> | undefined
  /** Replay each distinct request's first reply, as the provider cache does (default true). */
  readonly cache?: boolean | undefined
}

/** Memoises a completion by a hash of its request (a battery sends responses up to 1 MB, so keys are hashed). */
export const cachedCompletion = (complete: JudgeCompletion): JudgeCompletion => {
  const replies = new Map<string, string>()
  return (request) => {
    const key = sha256Hex(JSON.stringify(request))
    const known = replies.get(key)
    if (known !== undefined) return known
    const reply = complete(request)
    replies.set(key, reply)
    return reply
  }
}

/** A judge as a `GraderUnderTest`, over a synchronous completion (a stand-in, or replies already fetched). */
export const judgeUnderTest = (spec: JudgeGraderSpec, complete: JudgeCompletion, options: JudgeUnderTestOptions = {}): GraderUnderTest => ({
  name: options.name ?? `judge:${spec.provider}`,
  grade: judgeGrader(spec, options.cache === false ? complete : cachedCompletion(complete)),
  claims: { ...judgeClaims, ...options.claims },
  cases: options.cases,
  labelled: options.labelled
})
