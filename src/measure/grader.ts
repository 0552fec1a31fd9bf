import { Effect, Either } from "effect"
import { ProviderError } from "../domain/chat.js"
import type { JudgeGraderSpec } from "../domain/judge.js"
import type { Sample } from "../domain/sample.js"
import type { Grade, Grader as BuiltInGrader } from "../evaluations/graders/grade.js"
import { gradeVerdict } from "../evaluations/judge/grade.js"
import { judgeRequest } from "../evaluations/judge/prompt.js"
import { parseVerdict } from "../evaluations/judge/verdict.js"
import { complete, type Providers } from "./providers.js"
import type { Step } from "./step.js"

/** Grades one response to one sample: in-process (a built-in grader) or through a provider (a judge). */
export type Grader<R = never> = (sample: Sample, response: string) => Step<Grade, R>

/** A grader that runs in-process; every built-in grader is one as it stands. */
export type InProcessGrader = BuiltInGrader

/** How an evaluation grades, as prepared: a built-in grader runs in-process; a judge calls a provider. */
export type Grading = { readonly _tag: "BuiltIn"; readonly grader: InProcessGrader } | { readonly _tag: "Judge"; readonly spec: JudgeGraderSpec }

/**
 * A model-graded judge. An unreadable verdict is no grade at all but a provider error: scoring
 * it 0 would read as "behaviour not shown" on a propensity evaluation, so a response that
 * derails its judge would pass.
 */
export const providerJudge = (spec: JudgeGraderSpec): Grader<Providers> => (sample, response) =>
  Effect.gen(function* () {
    const reply = yield* complete(spec.provider, judgeRequest(spec, sample, response))
    const verdict = parseVerdict(reply.text, spec.scale)
    if (Either.isLeft(verdict)) {
      return yield* new ProviderError({ reason: "Malformed", attempts: 1, message: `judge verdict unreadable: ${verdict.left}` })
    }
    return gradeVerdict(spec, reply.text)
  })

/** The grader a prepared evaluation names. */
export const graderOf = (grading: Grading): Grader<Providers> => (grading._tag === "BuiltIn" ? grading.grader : providerJudge(grading.spec))
