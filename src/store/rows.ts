/**
 * One Schema per stored row. The encoded side is the row as SQLite holds it (SQL column
 * names as keys, 0/1 for booleans, JSON text in `*_json` columns, NULL for an absent
 * optional value); the decoded side is the domain value. The `run_id` column is not part
 * of a row: the query that reads or writes it supplies it.
 */
import { Either, type Effect, ParseResult, Schema, SchemaAST } from "effect"
import { HarnessLogRecord } from "../domain/harness.js"
import { Outcome } from "../domain/outcome.js"
import { PropertyResult } from "../domain/property-result.js"
import { SearchScore } from "../domain/search-settings.js"
import { ServeApi } from "../domain/serve.js"
import { Shard } from "../domain/shard.js"
import { StoreError } from "../domain/store-error.js"
import { LayerCheckJson } from "../domain/summary.js"
import { MeasuredQuantity } from "../domain/measured-truth.js"

/** A property kept in the SQL column `name`. */
const column = <const Name extends string, S extends Schema.Schema.Any>(name: Name, schema: S) =>
  Schema.propertySignature(schema).pipe(Schema.fromKey(name))

/** A nullable SQL column holding an optional property (NULL when absent). */
const nullable = <const Name extends string, S extends Schema.Schema.Any>(name: Name, schema: S) =>
  Schema.optionalWith(schema, { nullable: true }).pipe(Schema.fromKey(name))

/** SQLite has no boolean: 0 or 1. */
const Flag = Schema.transform(Schema.Literal(0, 1), Schema.Boolean, {
  strict: true,
  decode: (n) => n === 1,
  encode: (b) => (b ? 1 : 0)
})

export const RunRow = Schema.Struct({
  id: Schema.String,
  audit: Schema.String,
  source: Schema.String,
  version: Schema.String,
  seed: Schema.Number,
  replicates: Schema.Number,
  specHash: column("spec_hash", Schema.String),
  specJson: column("spec_json", Schema.String),
  command: Schema.String,
  startedAt: column("started_at", Schema.String),
  finishedAt: column("finished_at", Schema.NullOr(Schema.String))
})

/** A run with its cell counts, as `runs` lists it (`cells` and `errors` are computed columns). */
export const ListingRow = Schema.Struct({
  id: Schema.String,
  audit: Schema.String,
  seed: Schema.Number,
  replicates: Schema.Number,
  specHash: column("spec_hash", Schema.String),
  startedAt: column("started_at", Schema.String),
  finishedAt: column("finished_at", Schema.NullOr(Schema.String)),
  cells: Schema.Number,
  errors: Schema.Number
})

const cellKeys = { evaluation: Schema.String, organism: Schema.String, replicate: Schema.Int }

/** A `cells` row: `status` tells a measured cell from an errored one (whose `error` column holds the reason). */
export const CellRow = Schema.Union(
  Schema.Struct({
    _tag: column("status", Schema.transformLiteral("measured", "Measured")),
    ...cellKeys,
    k: Schema.Number,
    n: Schema.Int,
    measured: Schema.Number,
    truth: Schema.Number,
    shouldFire: column("should_fire", Flag),
    didFire: column("did_fire", Flag),
    outcome: Outcome,
    standardError: nullable("standard_error", Schema.Number),
    clusteredStandardError: nullable("clustered_standard_error", Schema.Number),
    sequentialVerdict: nullable("sequential_verdict", Schema.Literal("high", "low", "undecided"))
  }),
  Schema.Struct({
    _tag: column("status", Schema.transformLiteral("error", "Errored")),
    ...cellKeys,
    reason: column("error", Schema.String)
  })
)

/** The key of a cell, as `finishedCells` reads it. */
export const CellKeyRow = Schema.Struct(cellKeys)

const triggerKeys = { trigger: Schema.String, organism: Schema.String, replicate: Schema.Int }

export const TriggerRow = Schema.Union(
  Schema.Struct({
    _tag: column("status", Schema.transformLiteral("decided", "Decided")),
    ...triggerKeys,
    shouldFire: column("should_fire", Flag),
    didFire: column("did_fire", Flag),
    outcome: Outcome
  }),
  Schema.Struct({
    _tag: column("status", Schema.transformLiteral("error", "Errored")),
    ...triggerKeys,
    reason: column("error", Schema.String)
  })
)

/** One graded response (one sample in one epoch), as `loadResponses` reads it for a given cell. */
export const SampleRow = Schema.Struct({
  sample: Schema.String,
  epoch: Schema.Int,
  response: Schema.String,
  score: Schema.Number,
  explanation: Schema.String
})

/** A `responses` row: a graded response and the cell it belongs to. */
export const ResponseRow = Schema.Struct({ ...cellKeys, ...SampleRow.fields })

/** A sample's mean score over its epochs (computed by the query). */
export const SampleScoreRow = Schema.Struct({
  ...cellKeys,
  sample: Schema.String,
  score: Schema.Number
})

export const CheckRow = Schema.Struct({
  organism: Schema.String,
  passed: Flag,
  layers: column("detail_json", Schema.parseJson(Schema.Array(LayerCheckJson))),
  truth: nullable("truth_json", Schema.parseJson(Schema.Array(MeasuredQuantity)))
})

export const GraderRow = Schema.Struct({
  grader: Schema.String,
  evaluations: column("evaluations_json", Schema.parseJson(Schema.Array(Schema.String))),
  passed: Flag,
  properties: column("properties_json", Schema.parseJson(Schema.Array(PropertyResult)))
})

/** The adversarial search's result, derived once by a run (phase 4) and read by every summary. */
export const SearchRow = Schema.Struct({
  kind: Schema.Literal("search"),
  score: column("json", Schema.parseJson(SearchScore))
})

/** A harness log a run was scored from (`evalaudit score`). */
export const HarnessLogRow = HarnessLogRecord

/** One answer a harness scored, beside the organism's intent (NULL when unknown). */
export const HarnessSampleRow = Schema.Struct({
  ...cellKeys,
  sample: Schema.String,
  epoch: Schema.Int,
  harnessScore: column("harness_score", Schema.Number),
  intended: nullable("intended", Schema.Literal(0, 1)),
  response: Schema.String,
  explanation: Schema.String,
  file: Schema.String
})

/** The shard a run's store holds (a run made with `run --shard i/n`), as its own kind of derived row. */
export const ShardRow = Schema.Struct({
  kind: Schema.Literal("shard"),
  shard: column("json", Schema.parseJson(Shard))
})

export const CacheRow = Schema.Struct({ response: column("response_json", Schema.String) })

/** A `serve_sessions` row: one run of `evalaudit serve`. */
export const ServeSessionRow = Schema.Struct({
  id: Schema.String,
  audit: Schema.String,
  source: Schema.String,
  specHash: column("spec_hash", Schema.String),
  seed: Schema.Int,
  replicates: Schema.Int,
  address: Schema.String,
  startedAt: column("started_at", Schema.String),
  finishedAt: column("finished_at", Schema.NullOr(Schema.String))
})

/** A `served_requests` row: one answered request, NULL item columns when it was not recognised. */
export const ServedRow = Schema.Struct({
  sessionId: column("session_id", Schema.String),
  seq: Schema.Int,
  api: ServeApi,
  model: Schema.String,
  organism: Schema.String,
  replicate: Schema.Int,
  requestHash: column("request_hash", Schema.String),
  evaluation: nullable("evaluation", Schema.String),
  sample: nullable("sample", Schema.String),
  intended: nullable("intended", Schema.Literal("correct", "wrong", "shown", "not-shown")),
  act: nullable("act", Schema.Literal("Answer", "Behave", "Game")),
  response: Schema.String,
  receivedAt: column("received_at", Schema.String)
})

/** A row as SQLite holds it: column name to value. */
export type Row = { readonly [column: string]: unknown }

/** A table and the schema of its rows. */
export interface Table<A, I extends Row> {
  readonly name: string
  readonly row: Schema.Schema<A, I>
  /** Every column a row may fill (`run_id` aside), read from the schema's encoded side. */
  readonly columns: ReadonlyArray<string>
  /** Whether rows belong to a run through a `run_id` column (all but `runs` itself). */
  readonly perRun: boolean
}

const columnsOf = (ast: SchemaAST.AST): Array<string> => {
  const encoded = SchemaAST.encodedAST(ast)
  switch (encoded._tag) {
    case "TypeLiteral":
      return encoded.propertySignatures.map((p) => String(p.name))
    case "Union":
      return [...new Set(encoded.types.flatMap(columnsOf))]
    default:
      return []
  }
}

const table = <A, I extends Row>(name: string, row: Schema.Schema<A, I>, perRun = true): Table<A, I> => ({
  name,
  row,
  columns: columnsOf(row.ast),
  perRun
})

export const Runs = table("runs", RunRow, false)
export const Cells = table("cells", CellRow)
export const TriggerResults = table("trigger_results", TriggerRow)
export const Responses = table("responses", ResponseRow)
export const ManipulationChecks = table("manipulation_checks", CheckRow)
export const GraderChecks = table("grader_checks", GraderRow)
export const Derived = table("derived", SearchRow)
export const ServeSessions = table("serve_sessions", ServeSessionRow, false)
export const ServedRequests = table("served_requests", ServedRow, false)
export const HarnessLogs = table("harness_logs", HarnessLogRow)
export const HarnessSamples = table("harness_samples", HarnessSampleRow)
export const DerivedShard = table("derived", ShardRow)

/** "table cells, column should_fire: Expected 0, actual 7": the first column at fault, and what it held. */
const describeIssue = (table: string, error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  const at = first?.path[0]
  if (first === undefined || at === undefined) return `table ${table}: ${error.message}`
  const messages = [...new Set(issues.filter((i) => i.path[0] === at).map((i) => i.message))]
  return `table ${table}, column ${String(at)}: ${messages.join("; ")}`
}

/**
 * Runs `f` over every item, stopping at the first failure. A plain loop over Either: the
 * responses of a batch run to thousands of rows, and Effect.forEach costs a few times more.
 */
const eachEither = <A, B, E>(items: ReadonlyArray<A>, f: (a: A) => Either.Either<B, E>): Either.Either<ReadonlyArray<B>, E> => {
  const out: Array<B> = []
  for (const item of items) {
    const result = f(item)
    if (Either.isLeft(result)) return Either.left(result.left)
    out.push(result.right)
  }
  return Either.right(out)
}

/** Decodes rows read from `table`; a row that does not decode is a corrupt store. */
export const decodeRows =
  <A, I>(table: string, schema: Schema.Schema<A, I>) =>
  (rows: ReadonlyArray<unknown>): Effect.Effect<ReadonlyArray<A>, StoreError> => {
    const decode = Schema.decodeUnknownEither(schema)
    return eachEither(rows, decode).pipe(Either.mapLeft((e) => new StoreError({ reason: "Corrupt", message: describeIssue(table, e) })))
  }

/** Encodes values for `table`; a value that does not encode is refused before anything is written. */
export const encodeRows =
  <A, I extends Row>(table: Table<A, I>) =>
  (values: ReadonlyArray<A>): Effect.Effect<ReadonlyArray<I>, StoreError> => {
    const encode = Schema.encodeEither(table.row)
    return eachEither(values, encode).pipe(Either.mapLeft((e) => new StoreError({ reason: "Query", message: `cannot write ${describeIssue(table.name, e)}` })))
  }
