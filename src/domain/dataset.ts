import { Schema } from "effect"
import { Baseline } from "./baseline.js"
import { FieldMap } from "./field-map.js"
import { Count, CountUpTo, Name, NonEmpty, PositiveCount } from "./ids.js"
import { duplicateSampleIds, Sample } from "./sample.js"
import { LIMITS } from "./limits.js"

/**
 * The file formats a dataset can be read from (README, "Dataset formats", gives each
 * one's field mapping). `jsonl` is evalaudit's own: one `Sample` a line.
 */
export const DatasetFormat = Schema.Literal(
  "jsonl",
  "anthropic-mwe",
  "openai-evals",
  "inspect",
  "inspect-log",
  "truthfulqa",
  "promptfoo",
  "fields"
)
export type DatasetFormat = typeof DatasetFormat.Type

/** A seeded subset of the dataset: `limit` samples, in proportion to each stratum's size if asked. */
const SubsetFields = {
  limit: Schema.optional(CountUpTo(LIMITS.subset)),
  /** A metadata field whose values are the strata; needs `limit`. */
  stratifyBy: Schema.optional(Name)
}

const stratifyNeedsLimit = (d: { readonly limit?: number | undefined; readonly stratifyBy?: string | undefined }) =>
  d.stratifyBy === undefined || d.limit !== undefined || { path: ["stratifyBy"], message: "stratifyBy needs a limit" }

/** Samples written inline (typed audits, tests). */
export const InlineDataset = Schema.Struct({
  samples: NonEmpty(Sample).pipe(
    Schema.filter((samples) => {
      const repeated = duplicateSampleIds(samples)
      return repeated.length === 0 || `unique sample ids; repeated: ${repeated.slice(0, 5).join(", ")}`
    })
  ),
  ...SubsetFields
}).pipe(Schema.filter(stratifyNeedsLimit))

/** A dataset in a file; the path is relative to the audit file. */
export const FileDataset = Schema.Struct({
  path: Schema.NonEmptyString,
  format: Schema.optionalWith(DatasetFormat, { default: (): DatasetFormat => "jsonl" }),
  /** What a malformed record does: stop the import with its line, or be skipped and counted in the memo. */
  onBadRecord: Schema.optionalWith(Schema.Literal("fail", "skip"), { default: () => "fail" as const }),
  /** truthfulqa: options to choose from (best answer among the incorrect ones), or a free answer matched against the correct ones. */
  mode: Schema.optional(Schema.Literal("multiple-choice", "match")),
  /** promptfoo: the prompt template (`{{var}}`) when the file has none. */
  prompt: Schema.optional(Schema.String),
  /** fields: where each sample field is in the records. */
  fields: Schema.optional(FieldMap),
  ...SubsetFields
}).pipe(
  Schema.filter((d) => {
    const issues: Array<Schema.FilterIssue> = []
    // Options that belong to one format only: given with another, they would be ignored silently.
    const owned = [["mode", d.mode, "truthfulqa"], ["prompt", d.prompt, "promptfoo"], ["fields", d.fields, "fields"]] as const
    for (const [option, value, format] of owned) {
      if (value !== undefined && d.format !== format) {
        issues.push({ path: [option], message: `${option} applies to format "${format}" only, not "${d.format}"` })
      }
    }
    if (d.format === "fields" && d.fields === undefined) issues.push({ path: ["fields"], message: 'format "fields" needs a fields map' })
    const stratify = stratifyNeedsLimit(d)
    if (stratify !== true) issues.push(stratify)
    return issues
  })
)
export type FileDataset = typeof FileDataset.Type

export const Dataset = Schema.Union(InlineDataset, FileDataset)
export type Dataset = typeof Dataset.Type

/** Which seeded subset was taken, and from how many samples. */
export const SubsetTaken = Schema.Struct({
  limit: PositiveCount,
  stratifyBy: Schema.optional(Schema.String),
  from: Count,
  /** Per stratum: samples available and taken. */
  strata: Schema.Record({ key: Schema.String, value: Schema.Struct({ available: Count, taken: Count }) })
})
export type SubsetTaken = typeof SubsetTaken.Type

/** How the samples were obtained: the format read, what was skipped, the subset and any baseline scores. */
export const DatasetOrigin = Schema.Struct({
  format: Schema.Literal("inline", ...DatasetFormat.literals),
  /** Records read from the file, bad ones included. */
  records: Count,
  skipped: Count,
  /** The first few skipped records and why (`line 12: question: expected a string`). */
  skippedExamples: Schema.Array(Schema.String),
  subset: Schema.optional(SubsetTaken),
  /** Scores of a real run of this dataset (an Inspect log), for comparison. */
  baseline: Schema.optional(Baseline)
})
export type DatasetOrigin = typeof DatasetOrigin.Type

/** A dataset after reading: where it came from and its samples. */
export const ResolvedDataset = Schema.Struct({
  source: Schema.String,
  samples: NonEmpty(Sample),
  origin: Schema.optional(DatasetOrigin)
})
export type ResolvedDataset = typeof ResolvedDataset.Type
