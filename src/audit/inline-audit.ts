import { Effect, Schema } from "effect"
import { AuditSpec, type ResolvedAudit } from "../domain/audit.js"
import { AuditFileError, fromParseError } from "./audit-file-error.js"

/**
 * Validates an audit built in code whose datasets are all inline (generated audits,
 * benchmarks, tests) and resolves it without any file access.
 */
export const resolveInlineAudit = (input: unknown, source: string): Effect.Effect<ResolvedAudit, AuditFileError> =>
  Effect.gen(function* () {
    const spec = yield* Schema.decodeUnknown(AuditSpec, { errors: "all", onExcessProperty: "error" })(input).pipe(
      Effect.mapError((e) => fromParseError(source, [], e))
    )
    const evaluations = yield* Effect.forEach(spec.evaluations, (e, i) =>
      "samples" in e.dataset
        ? Effect.succeed({ ...e, dataset: { source: "inline", samples: e.dataset.samples } })
        : Effect.fail(new AuditFileError({ file: source, path: `evaluations[${i}].dataset`, message: "expected inline samples; use loadAudit for file datasets" }))
    )
    return { ...spec, evaluations, source }
  })
