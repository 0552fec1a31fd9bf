import { Either, Schema } from "effect"
import type { Baseline } from "../../domain/baseline.js"
import { inspectSample } from "./inspect-dataset.js"
import { describeParseError, type DocumentRecord } from "./imported.js"
import { readZip } from "./zip.js"
import { emptyRecord } from "../../domain/records.js"

/**
 * Inspect (UK AISI inspect_ai) eval logs, schema version 2 (and 1, which has the same
 * fields we read): a `.json` document, or a `.eval` zip of `header.json`, `samples/*.json`,
 * `reductions.json` and friends. Each distinct sample becomes one record (its first epoch);
 * the log's status, metrics and per-sample scores become the baseline. A log that errored,
 * was cancelled or has no results still imports: its baseline simply has no metrics.
 */
export interface InspectLog {
  readonly records: ReadonlyArray<DocumentRecord>
  readonly baseline: Baseline
}

const SampleId = Schema.Union(Schema.String, Schema.Number)

const Reduction = Schema.Struct({
  scorer: Schema.String,
  samples: Schema.Array(Schema.Struct({ value: Schema.optional(Schema.Unknown), sample_id: Schema.optional(Schema.NullOr(SampleId)) }))
})
const Reductions = Schema.Array(Reduction)

const Results = Schema.Struct({
  total_samples: Schema.optional(Schema.NonNegativeInt),
  completed_samples: Schema.optional(Schema.NonNegativeInt),
  scores: Schema.optional(
    Schema.Array(
      Schema.Struct({
        name: Schema.String,
        metrics: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Struct({ value: Schema.optional(Schema.Unknown) }) }))
      })
    )
  ),
  /** Where version-2 logs before the `reductions` field kept them. */
  sample_reductions: Schema.optional(Schema.NullOr(Reductions))
})

/** The fields of a log's header we read; the rest (plan, stats, config...) is ignored. */
const Header = Schema.Struct({
  version: Schema.Literal(1, 2),
  status: Schema.Literal("started", "success", "cancelled", "error"),
  eval: Schema.Struct({ task: Schema.String, model: Schema.String, created: Schema.String }),
  results: Schema.optional(Schema.NullOr(Results)),
  error: Schema.optional(Schema.NullOr(Schema.Struct({ message: Schema.String }))),
  reductions: Schema.optional(Schema.NullOr(Reductions))
})
type Header = typeof Header.Type

/** One logged sample (id, epoch) with the fields a `Sample` and the baseline need. */
const LoggedSample = Schema.Struct({
  id: SampleId,
  epoch: Schema.Int,
  input: Schema.Unknown,
  target: Schema.optional(Schema.Unknown),
  choices: Schema.optional(Schema.Unknown),
  metadata: Schema.optional(Schema.Unknown),
  scores: Schema.optional(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Struct({ value: Schema.optional(Schema.Unknown) }) })))
})
type LoggedSample = typeof LoggedSample.Type

const decodeHeader = Schema.decodeUnknownEither(Header, { errors: "all" })
const decodeSample = Schema.decodeUnknownEither(LoggedSample, { errors: "all" })
const decodeReductions = Schema.decodeUnknownEither(Reductions, { errors: "all" })

/**
 * A score value as a number, as Inspect's default `value_to_float` reads it
 * (inspect_ai/scorer/_metric.py): numbers and booleans as such, "C" 1, "P" 0.5, "I" and
 * "N" 0, yes/true 1, no/false 0, numeric text as its number. Inspect maps anything else
 * (lists, dicts, other text) to 0 with a warning; we leave it out instead, so a baseline
 * never shows a score the scorer did not give. NaN is Inspect's "unscored" and is left out too.
 */
export const scoreValue = (value: unknown): number | undefined => {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined
  if (typeof value === "boolean") return value ? 1 : 0
  if (typeof value !== "string") return undefined
  switch (value) {
    case "C":
      return 1
    case "P":
      return 0.5
    case "I":
    case "N":
      return 0
  }
  const lower = value.trim().toLowerCase()
  if (lower === "yes" || lower === "true") return 1
  if (lower === "no" || lower === "false") return 0
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(lower) ? Number(lower) : undefined
}

/** Numbers before strings, numbers by value: a stable order whichever order the writer used. */
const compareIds = (a: string | number, b: string | number): number => {
  if (typeof a === "number" && typeof b === "number") return a - b
  if (typeof a === "number") return -1
  if (typeof b === "number") return 1
  return a < b ? -1 : a > b ? 1 : 0
}

type Entry = { readonly where: string; readonly sample: LoggedSample }
type ScoreTable = Record<string, Record<string, number>>

const metricsOf = (header: Header): ScoreTable => {
  const table = emptyRecord<Record<string, number>>()
  for (const score of header.results?.scores ?? []) {
    for (const [metric, { value }] of Object.entries(score.metrics ?? {})) {
      if (typeof value === "number" && Number.isFinite(value)) (table[score.name] ??= emptyRecord())[metric] = value
    }
  }
  return table
}

/** Per-sample scores: the log's reductions where it has them (what its metrics used), else each sample's epochs averaged (Inspect's default `mean` reducer). */
const scoresOf = (reductions: ReadonlyArray<typeof Reduction.Type>, entries: ReadonlyArray<Entry>): ScoreTable => {
  const table = emptyRecord<Record<string, number>>()
  for (const { scorer, samples } of reductions) {
    for (const { value, sample_id } of samples) {
      const number = scoreValue(value)
      if (number !== undefined && sample_id !== undefined && sample_id !== null) (table[scorer] ??= emptyRecord())[String(sample_id)] = number
    }
  }
  const reduced = new Set(Object.keys(table))
  const epochs = new Map<string, Map<string, Array<number>>>()
  for (const { sample } of entries) {
    for (const [scorer, { value }] of Object.entries(sample.scores ?? {})) {
      const number = scoreValue(value)
      if (reduced.has(scorer) || number === undefined) continue
      const byId = epochs.get(scorer) ?? new Map<string, Array<number>>()
      epochs.set(scorer, byId)
      byId.set(String(sample.id), [...(byId.get(String(sample.id)) ?? []), number])
    }
  }
  for (const [scorer, byId] of epochs) {
    for (const [id, values] of byId) (table[scorer] ??= emptyRecord())[id] = values.reduce((sum, v) => sum + v, 0) / values.length
  }
  return table
}

/** One logged sample as it came out of the file: its place, and its JSON or why it could not be read. */
interface RawSample {
  readonly where: string
  readonly value: Either.Either<unknown, string>
}

const fromParts = (headerValue: unknown, raws: ReadonlyArray<RawSample>, extraReductions: unknown): Either.Either<InspectLog, string> =>
  Either.gen(function* () {
    const header = yield* Either.mapLeft(decodeHeader(headerValue), describeParseError)
    const extra = extraReductions === undefined ? [] : yield* Either.mapLeft(decodeReductions(extraReductions), (e) => `reductions: ${describeParseError(e)}`)
    const problems: Array<DocumentRecord> = []
    const entries: Array<Entry> = []
    for (const { where, value } of raws) {
      const sample = Either.flatMap(value, (json) => Either.mapLeft(decodeSample(json), describeParseError))
      if (Either.isLeft(sample)) problems.push({ where, sample: Either.left(sample.left) })
      else entries.push({ where, sample: sample.right })
    }
    // one record per sample: its first logged epoch (epoch 1 unless the log kept only later ones)
    const first = new Map<string, Entry>()
    for (const entry of entries) {
      const key = String(entry.sample.id)
      const seen = first.get(key)
      if (seen === undefined || entry.sample.epoch < seen.sample.epoch) first.set(key, entry)
    }
    const chosen = [...first.values()].sort((a, b) => compareIds(a.sample.id, b.sample.id))
    const records: Array<DocumentRecord> = chosen.map(({ where, sample }, i) => ({
      where,
      sample: inspectSample({ id: sample.id, input: sample.input, target: sample.target, choices: sample.choices, metadata: sample.metadata }, i + 1)
    }))
    const results = header.results ?? undefined
    const baseline: Baseline = {
      task: header.eval.task,
      model: header.eval.model,
      status: header.status,
      created: header.eval.created,
      samples: chosen.length,
      ...(results?.total_samples === undefined ? {} : { totalSamples: results.total_samples }),
      ...(results?.completed_samples === undefined ? {} : { completedSamples: results.completed_samples }),
      metrics: metricsOf(header),
      scores: scoresOf([...(header.reductions ?? []), ...(results?.sample_reductions ?? []), ...extra], entries),
      ...(header.error?.message === undefined ? {} : { error: header.error.message })
    }
    return { records: [...records, ...problems], baseline }
  })

export const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === "object" && value !== null && !Array.isArray(value)

/** An Inspect log read from a `.json` file (already parsed). */
export const inspectLogFromJson = (document: unknown): Either.Either<InspectLog, string> => {
  if (!isRecord(document)) return Either.left("expected an Inspect log (a JSON object with version, status and eval)")
  const samples = document["samples"]
  if (samples !== undefined && samples !== null && !Array.isArray(samples)) return Either.left("samples: expected a list")
  const raws = (Array.isArray(samples) ? samples : []).map((value: unknown, i): RawSample => ({ where: `samples[${i}]`, value: Either.right(value) }))
  return fromParts(document, raws, undefined)
}

export const parseJson = (bytes: Uint8Array): Either.Either<unknown, string> => {
  try {
    return Either.right(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)))
  } catch (e) {
    return Either.left(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/**
 * The header of a `.eval` log: `header.json` once the eval has finished; the older
 * `start.json` + `results.json` pair; or only `_journal/start.json` while it is running.
 */
export const evalHeader = (files: ReadonlyMap<string, Uint8Array>): Either.Either<unknown, string> => {
  const read = (name: string): Either.Either<unknown, string> | undefined => {
    const bytes = files.get(name)
    return bytes === undefined ? undefined : Either.mapLeft(parseJson(bytes), (e) => `${name}: ${e}`)
  }
  const header = read("header.json")
  if (header !== undefined) return header
  const start = read("start.json")
  const results = read("results.json")
  if (start !== undefined && results !== undefined) {
    return Either.flatMap(Either.all([start, results]), ([s, r]) =>
      isRecord(s) && isRecord(r) ? Either.right({ ...s, ...r }) : Either.left("start.json, results.json: expected JSON objects")
    )
  }
  const journal = read("_journal/start.json")
  if (journal !== undefined) {
    return Either.flatMap(journal, (s) => (isRecord(s) ? Either.right({ status: "started", ...s }) : Either.left("_journal/start.json: expected a JSON object")))
  }
  return Either.left("not an Inspect .eval log: no header.json (nor start.json or _journal/start.json) in the archive")
}

/** An Inspect log read from the bytes of a `.eval` file. */
export const inspectLogFromEval = (bytes: Uint8Array): Either.Either<InspectLog, string> =>
  Either.gen(function* () {
    const files = yield* readZip(bytes)
    const header = yield* evalHeader(files)
    const names = [...files.keys()].filter((name) => /^samples\/[^/]+\.json$/.test(name))
    const raws = names.map((name): RawSample => ({ where: name, value: parseJson(files.get(name) ?? new Uint8Array()) }))
    const reductionBytes = files.get("reductions.json")
    const reductions = reductionBytes === undefined ? undefined : yield* Either.mapLeft(parseJson(reductionBytes), (e) => `reductions.json: ${e}`)
    return yield* fromParts(header, raws, reductions)
  })
