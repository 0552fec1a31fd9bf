/**
 * Samples of the OpenAI Evals registry (`registry/data/<eval>/samples.jsonl`) for the
 * `exact` and `includes` graders: `input` is a prompt string or a list of chat messages,
 * `ideal` the right answer or a list of right answers (the first is the target, the rest
 * its alternatives). Unknown fields are ignored.
 */
import { Either, Schema } from "effect"
import type { Sample } from "../../domain/sample.js"
import { describeParseError, type Imported } from "./imported.js"
import { own } from "../../domain/records.js"

const ChatMessage = Schema.Struct({
  role: Schema.String,
  content: Schema.String,
  /** Evals writes few-shot turns as system messages named `example_user` / `example_assistant`. */
  name: Schema.optionalWith(Schema.String, { exact: true })
})
type ChatMessage = typeof ChatMessage.Type

// `exact`, so an absent field is reported as missing rather than read as undefined.
const decodeFields = Schema.decodeUnknownEither(Schema.Struct({ input: Schema.Unknown, ideal: Schema.Unknown }), { errors: "all", exact: true })
const decodeMessages = Schema.decodeUnknownEither(Schema.Struct({ input: Schema.NonEmptyArray(ChatMessage) }), { errors: "all" })
const decodeIdeals = Schema.decodeUnknownEither(Schema.Struct({ ideal: Schema.NonEmptyArray(Schema.String) }), { errors: "all" })

const shown = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

/**
 * A field that is a string or a non-empty list: a list is decoded by `decodeList`, so a bad
 * entry is named by its place (`input[1].content: ...`) rather than by both shapes at once.
 */
const stringOrList = <A>(
  key: string,
  value: unknown,
  decodeList: (record: unknown) => Either.Either<A, string>,
  what: string
): Either.Either<string | A, string> => {
  if (typeof value === "string") return Either.right(value)
  if (Array.isArray(value)) return decodeList({ [key]: value })
  return Either.left(`${key}: expected ${what}, found ${shown(value)}`)
}

const ROLE_LABELS: Readonly<Record<string, string>> = { system: "System", user: "User", assistant: "Assistant" }

/** The speaker a message is shown as: Evals' named few-shot turns speak as the user and the assistant. */
const speaker = (message: ChatMessage): string => {
  if (message.name === "example_user") return "User"
  if (message.name === "example_assistant") return "Assistant"
  return own(ROLE_LABELS, message.role) ?? message.role
}

/**
 * A chat as one prompt: a lone user message is its content; otherwise every message is a
 * "Speaker: content" paragraph, so system instructions and few-shot examples stay visible.
 */
const renderChat = (messages: ReadonlyArray<ChatMessage>): string => {
  const [only, ...rest] = messages
  if (only !== undefined && rest.length === 0 && only.role === "user" && only.name === undefined) return only.content
  return messages.map((m) => `${speaker(m)}: ${m.content}`).join("\n\n")
}

/** One JSONL record (already parsed) as a sample: id `line-<line>` unless the record has an `id` string. */
export const openAiEvalsSample = (value: unknown, line: number): Imported =>
  Either.gen(function* () {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return yield* Either.left(`expected an object with input and ideal, found ${shown(value)}`)
    }
    const fields = yield* Either.mapLeft(decodeFields(value), describeParseError)
    const input = stringOrList(
      "input",
      fields.input,
      (r) => Either.map(Either.mapLeft(decodeMessages(r), describeParseError), (d) => renderChat(d.input)),
      "a prompt string or a non-empty list of chat messages {role, content}"
    )
    const ideal = stringOrList(
      "ideal",
      fields.ideal,
      (r) => Either.mapLeft(decodeIdeals(r), describeParseError),
      "the right answer (a string) or a non-empty list of right answers"
    )
    // Both fields' problems at once, so one pass over a file shows everything wrong with a record.
    const problems = [input, ideal].flatMap((e) => (Either.isLeft(e) ? [e.left] : []))
    if (problems.length > 0) return yield* Either.left(problems.join("; "))
    const prompt = yield* input
    const answers = yield* ideal
    const [target, ...alternatives] = typeof answers === "string" ? [answers] : answers.ideal
    const id = "id" in value && typeof value.id === "string" && value.id.trim() !== "" ? value.id : `line-${line}`
    const sample: Sample = {
      id,
      input: prompt,
      target,
      ...(alternatives.length > 0 ? { alternatives } : {})
    }
    return sample
  })
