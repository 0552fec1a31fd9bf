/**
 * A stored `summary.json` as the diff reads it, in either format version: `evalaudit.summary/1`
 * (before organisms were the unit) and `/2`. Only what the diff compares is decoded, so a
 * summary of either version, or of a later /2 with more fields, reads alike.
 */
import { Schema } from "effect"
import { ProportionJson } from "../domain/proportion-json.js"

const Rates = Schema.Struct({ id: Schema.String, sensitivity: ProportionJson, specificity: ProportionJson })

export const DiffableSummary = Schema.Struct({
  format: Schema.Literal("evalaudit.summary/1", "evalaudit.summary/2"),
  runId: Schema.String,
  audit: Schema.String,
  version: Schema.String,
  seed: Schema.Number,
  replicates: Schema.Number,
  statistics: Schema.Struct({ interval: Schema.String, confidence: Schema.Number }),
  specHash: Schema.String,
  evaluations: Schema.Array(Rates),
  triggers: Schema.Array(Rates),
  escapes: Schema.Array(Schema.String),
  // Early /1 summaries predate the policy's verdict.
  policyEscapes: Schema.optionalWith(Schema.Array(Schema.Struct({ organism: Schema.String })), { default: () => [] }),
  source: Schema.optionalWith(Schema.String, { default: () => "" }),
  comparisons: Schema.optionalWith(
    Schema.Array(
      Schema.Struct({
        id: Schema.String,
        organisms: Schema.Array(Schema.Struct({ organism: Schema.String, estimate: Schema.NullOr(Schema.Struct({ difference: Schema.Number })) }))
      })
    ),
    { default: () => [] }
  ),
  timing: Schema.optionalWith(
    Schema.Array(Schema.Struct({ series: Schema.String, trigger: Schema.String, atCadence: Schema.Struct({ medianFiring: Schema.NullOr(Schema.Number) }) })),
    { default: () => [] }
  )
})
export type DiffableSummary = typeof DiffableSummary.Type

/** Decodes a summary file's text; the error names the place and what was expected. */
export const decodeSummaryFile = (text: string) => Schema.decodeUnknownEither(Schema.parseJson(DiffableSummary))(text)
