import { Either, Schema } from "effect"
import { contentText, renderInput } from "../evaluations/datasets/inspect-dataset.js"
import { describeParseError } from "../evaluations/datasets/imported.js"
import { evalHeader, isRecord, parseJson, scoreValue } from "../evaluations/datasets/inspect-log.js"
import { readZip } from "../evaluations/datasets/zip.js"
import type { HarnessEntry, HarnessLog } from "./entry.js"

/**
 * The scored answers of an Inspect eval log (`.json`, or a `.eval` zip whose entries may be
 * stored, deflated or zstd-compressed). Pure: the caller reads the bytes. The fields read
 * are those of inspect_ai's `EvalLog` / `EvalSample` (log version 2): a sample's `input` and
 * `messages`, its `output.choices[0].message.content`, and `scores[scorer].value` read as
 * Inspect's `value_to_float` reads it. A sample without a score (errored, or a log still
 * running) is kept with no score.
 */

const Header = Schema.Struct({
  version: Schema.Literal(1, 2),
  eval: Schema.Struct({ task: Schema.String, model: Schema.String }),
  results: Schema.optional(Schema.NullOr(Schema.Struct({ scores: Schema.optional(Schema.Array(Schema.Struct({ name: Schema.String }))) })))
})

const Score = Schema.Struct({
  value: Schema.optional(Schema.Unknown),
  explanation: Schema.optional(Schema.NullOr(Schema.String))
})

const Sample = Schema.Struct({
  id: Schema.Union(Schema.String, Schema.Number),
  epoch: Schema.Int.pipe(Schema.positive()),
  input: Schema.Unknown,
  messages: Schema.optional(Schema.Array(Schema.Unknown)),
  output: Schema.optional(
    Schema.NullOr(
      Schema.Struct({ choices: Schema.optional(Schema.Array(Schema.Struct({ message: Schema.Struct({ content: Schema.Unknown }) }))) })
    )
  ),
  scores: Schema.optional(Schema.NullOr(Schema.Record({ key: Schema.String, value: Score })))
})
type Sample = typeof Sample.Type

const decodeHeader = Schema.decodeUnknownEither(Header, { errors: "all" })
const decodeSample = Schema.decodeUnknownEither(Sample, { errors: "all" })

/**
 * The messages the model was sent (those before its first reply in the log's `messages`, else
 * the sample's input) as one text: their contents, system first, joined by blank lines, as
 * `evalaudit serve` reads a request.
 */
const promptOf = (sample: Sample, where: string): Either.Either<string, string> => {
  const messages = sample.messages ?? []
  const firstReply = messages.findIndex((m) => isRecord(m) && m["role"] === "assistant")
  const sent = firstReply > 0 ? messages.slice(0, firstReply) : []
  if (sent.length === 0) return Either.mapLeft(renderInput(sample.input), (e) => `${where}: ${e}`)
  return Either.map(
    Either.all(sent.map((m, i) => Either.mapLeft(contentText(isRecord(m) ? m["content"] : m, `messages[${i}].content`), (e) => `${where}: ${e}`))),
    (texts) => texts.join("\n\n")
  )
}

const responseOf = (sample: Sample, where: string): Either.Either<string, string> => {
  const content = sample.output?.choices?.[0]?.message.content
  if (content === undefined) return Either.right("")
  return Either.mapLeft(contentText(content, "output.choices[0].message.content"), (e) => `${where}: ${e}`)
}

/** The scorer whose scores count: the one asked for, else the header's first, else the sample's first. */
const pickScore = (sample: Sample, scorer: string | undefined, preferred: string | undefined) => {
  const scores = sample.scores ?? {}
  const name = scorer ?? (preferred !== undefined && preferred in scores ? preferred : Object.keys(scores)[0])
  return name === undefined ? undefined : scores[name]
}

const entriesOf = (
  headerValue: unknown,
  raws: ReadonlyArray<{ readonly where: string; readonly value: Either.Either<unknown, string> }>,
  format: HarnessLog["format"],
  scorer: string | undefined
): Either.Either<HarnessLog, string> =>
  Either.gen(function* () {
    const header = yield* Either.mapLeft(decodeHeader(headerValue), (e) => `expected an Inspect log header: ${describeParseError(e)}`)
    const preferred = header.results?.scores?.[0]?.name
    const entries: Array<HarnessEntry> = []
    for (const { where, value } of raws) {
      const json = yield* Either.mapLeft(value, (e) => `${where}: ${e}`)
      const sample = yield* Either.mapLeft(decodeSample(json), (e) => `${where}: expected an Inspect sample: ${describeParseError(e)}`)
      const score = pickScore(sample, scorer, preferred)
      entries.push({
        task: header.eval.task,
        model: header.eval.model,
        sampleId: String(sample.id),
        epoch: sample.epoch - 1,
        prompt: yield* promptOf(sample, where),
        response: yield* responseOf(sample, where),
        score: score === undefined ? undefined : scoreValue(score.value),
        explanation: score?.explanation ?? "",
        where
      })
    }
    return { format, entries }
  })

/** An Inspect log from a parsed `.json` document. */
export const inspectEntriesFromJson = (document: unknown, scorer?: string): Either.Either<HarnessLog, string> => {
  if (!isRecord(document)) return Either.left("expected an Inspect log (a JSON object with version, status and eval)")
  const samples = document["samples"] ?? []
  if (!Array.isArray(samples)) return Either.left("samples: expected a list")
  return entriesOf(document, samples.map((value: unknown, i) => ({ where: `samples[${i}]`, value: Either.right(value) })), "inspect-json", scorer)
}

/** An Inspect log from the bytes of a `.eval` zip. */
export const inspectEntriesFromEval = (bytes: Uint8Array, scorer?: string): Either.Either<HarnessLog, string> =>
  Either.gen(function* () {
    const files = yield* readZip(bytes)
    const header = yield* evalHeader(files)
    const names = [...files.keys()].filter((name) => /^samples\/[^/]+\.json$/.test(name)).sort()
    const raws = names.map((name) => ({ where: name, value: parseJson(files.get(name) ?? new Uint8Array()) }))
    return yield* entriesOf(header, raws, "inspect-eval", scorer)
  })
