import { Effect, Schema } from "effect"
import { AuditSpec, type ResolvedAudit } from "../domain/audit.js"
import type { Evaluation, ResolvedEvaluation } from "../domain/evaluation.js"
import { AuditFileError, fromParseError } from "./audit-file-error.js"
import { datasetProblems } from "./check-samples.js"

/** Decodes an audit value (unknown fields are errors, so typos do not pass silently). */
export const decodeAuditSpec = (value: unknown, file: string): Effect.Effect<AuditSpec, AuditFileError> =>
  Schema.decodeUnknown(AuditSpec, { errors: "all", onExcessProperty: "error" })(value).pipe(
    Effect.mapError((e) => fromParseError(file, [], e))
  )

/** Attaches read samples to an evaluation, refusing samples its grader cannot grade. */
export const withSamples = (
  evaluation: Evaluation,
  index: number,
  dataset: ResolvedEvaluation["dataset"],
  file: string
): Effect.Effect<ResolvedEvaluation, AuditFileError> => {
  const problems = datasetProblems(evaluation.grader, dataset.samples)
  return problems === null
    ? Effect.succeed({ ...evaluation, dataset })
    : Effect.fail(new AuditFileError({ file, path: `evaluations[${index}] (${evaluation.id}), dataset ${dataset.source}`, message: problems }))
}

/**
 * Validates an audit built in code whose datasets are all inline (generated audits,
 * benchmarks, tests) and resolves it without any file access.
 */
export const resolveInlineAudit = (input: unknown, source: string): Effect.Effect<ResolvedAudit, AuditFileError> =>
  Effect.gen(function* () {
    const spec = yield* decodeAuditSpec(input, source)
    const evaluations = yield* Effect.forEach(spec.evaluations, (e, i) =>
      "samples" in e.dataset
        ? withSamples(e, i, { source: "inline", samples: e.dataset.samples }, source)
        : Effect.fail(new AuditFileError({ file: source, path: `evaluations[${i}].dataset`, message: "expected inline samples; use loadAudit for file datasets" }))
    )
    return { ...spec, evaluations, source }
  })
