import { Either, Schema } from "effect"
import { choiceLetter, Sample } from "../../domain/sample.js"
import { describeParseError, type Imported } from "./imported.js"
import { own } from "../../domain/records.js"

/**
 * Inspect (UK AISI inspect_ai) datasets: JSONL records and CSV rows read the way Inspect's
 * `FieldSpec` reads them (inspect_ai/dataset/_util.py): `input` a string or a list of chat
 * messages, `target` a string or a list, `choices` a list (or, in a CSV cell, a JSON array
 * or comma-separated text), `id` a string or number, `metadata` an object (or JSON text).
 * Checks are written by hand rather than as a union schema so a bad record gets one plain
 * message (`input[1].role: expected system, user, assistant or tool`), not one per branch.
 */

/** Which record fields hold each sample field: Inspect's `FieldSpec`, every name defaulted as there. */
export const InspectFields = Schema.Struct({
  input: Schema.optional(Schema.String),
  target: Schema.optional(Schema.String),
  choices: Schema.optional(Schema.String),
  id: Schema.optional(Schema.String),
  /** Fields copied into metadata; when given, a `metadata` field is not read (as in Inspect). */
  metadata: Schema.optional(Schema.Array(Schema.String))
})
export type InspectFields = typeof InspectFields.Type

type JsonObject = Readonly<Record<string, unknown>>
type Result<A> = Either.Either<A, string>

const isRecord = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value)

const describe = (value: unknown): string => {
  if (value === null) return "null"
  if (Array.isArray(value)) return "a list"
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`
}

/** A metadata value as text: strings stay, anything else is JSON (0.88 -> "0.88", {a:1} -> '{"a":1}'). */
const stringify = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value))

const ROLES: Readonly<Record<string, string>> = { system: "System", user: "User", assistant: "Assistant", tool: "Tool" }

/** A message's text: a string, or its text parts joined by newlines as Inspect's `ChatMessage.text` does. */
export const contentText = (content: unknown, path: string): Result<string> => {
  if (typeof content === "string") return Either.right(content)
  if (!Array.isArray(content)) return Either.left(`${path}: expected a string or a list of content parts, actual ${describe(content)}`)
  const texts: Array<string> = []
  for (const [i, part] of content.entries()) {
    // a model's reasoning is not what it was asked, and `.text` skips it too; but an image
    // or audio part would be silently dropped, changing the question: refuse it instead
    if (isRecord(part) && part["type"] === "reasoning") continue
    if (!isRecord(part) || part["type"] !== "text") {
      const type = isRecord(part) ? describe(part["type"]) : describe(part)
      return Either.left(`${path}[${i}]: expected a text part ({type: "text", text}), actual ${type} (samples are text only)`)
    }
    const text = part["text"]
    if (typeof text !== "string") return Either.left(`${path}[${i}].text: expected a string, actual ${describe(text)}`)
    texts.push(text)
  }
  return Either.right(texts.join("\n"))
}

/** The prompt as one text: a lone user message is its content; otherwise one "Role: text" paragraph per message. */
export const renderInput = (input: unknown, field = "input"): Result<string> => {
  if (typeof input === "string") return input === "" ? Either.left(`${field}: expected a non-empty string`) : Either.right(input)
  if (!Array.isArray(input)) return Either.left(`${field}: expected a string or a list of chat messages, actual ${describe(input)}`)
  if (input.length === 0) return Either.left(`${field}: expected at least one chat message`)
  const messages: Array<{ readonly role: string; readonly text: string }> = []
  for (const [i, message] of input.entries()) {
    if (!isRecord(message)) return Either.left(`${field}[${i}]: expected a chat message {role, content}, actual ${describe(message)}`)
    const role = message["role"]
    const label = typeof role === "string" ? own(ROLES, role) : undefined
    if (label === undefined) return Either.left(`${field}[${i}].role: expected system, user, assistant or tool, actual ${describe(role)}`)
    const text = contentText(message["content"], `${field}[${i}].content`)
    if (Either.isLeft(text)) return Either.left(text.left)
    messages.push({ role: label, text: text.right })
  }
  const [only] = messages
  if (messages.length === 1 && only?.role === "User") return Either.right(only.text)
  return Either.right(messages.map(({ role, text }) => `${role}: ${text}`).join("\n\n"))
}

/** Targets as text, empty ones dropped (Inspect's default target is ""). */
const readTargets = (value: unknown, field: string): Result<ReadonlyArray<string>> => {
  if (value === undefined || value === null) return Either.right([])
  const items: ReadonlyArray<unknown> = Array.isArray(value) ? value : [value]
  const targets: Array<string> = []
  for (const [i, item] of items.entries()) {
    if (typeof item !== "string" && typeof item !== "number") {
      const at = Array.isArray(value) ? `${field}[${i}]` : field
      return Either.left(`${at}: expected a string or a list of strings, actual ${describe(item)}`)
    }
    if (String(item) !== "") targets.push(String(item))
  }
  return Either.right(targets)
}

/** A list, a JSON array in text (a CSV cell), or Inspect's comma- (else space-) separated text; empty means none. */
const readChoices = (value: unknown, field: string): Result<ReadonlyArray<string> | undefined> => {
  if (value === undefined || value === null) return Either.right(undefined)
  let items: unknown = value
  if (typeof value === "string") {
    const text = value.trim()
    if (text === "") return Either.right(undefined)
    if (text.startsWith("[")) {
      try {
        items = JSON.parse(text)
      } catch {
        return Either.left(`${field}: expected a JSON array of strings, actual ${describe(value)}`)
      }
    } else {
      const byComma = text.split(",")
      items = (byComma.length > 1 ? byComma : text.split(/\s+/)).map((choice) => choice.trim())
    }
  }
  if (!Array.isArray(items)) return Either.left(`${field}: expected a list of strings, actual ${describe(value)}`)
  const choices: Array<string> = []
  for (const [i, item] of items.entries()) {
    if (typeof item !== "string" && typeof item !== "number") return Either.left(`${field}[${i}]: expected a string, actual ${describe(item)}`)
    choices.push(String(item))
  }
  return Either.right(choices.length === 0 ? undefined : choices)
}

const inRange = (letters: string, choices: ReadonlyArray<string>): boolean =>
  [...letters].every((letter) => letter.charCodeAt(0) - 65 < choices.length)

/**
 * A multiple-choice target as its letters: "B", "(b)" or the text of option B give ["B"].
 * A letter wins over an option whose text is that letter, and "BD" means B and D, as in
 * Inspect's `choice` scorer, which reads every character of the target as a letter.
 */
export const choiceLetters = (target: string, choices: ReadonlyArray<string>): Result<ReadonlyArray<string>> => {
  const letter = /^\(?([A-Za-z])\)?$/.exec(target.trim())?.[1]?.toUpperCase()
  if (letter !== undefined && inRange(letter, choices)) return Either.right([letter])
  const exact = choices.indexOf(target)
  const index = exact >= 0 ? exact : choices.findIndex((choice) => choice.trim() === target.trim())
  if (index >= 0) return Either.right([choiceLetter(index)])
  const letters = target.trim().toUpperCase()
  if (/^[A-Z]{2,}$/.test(letters) && inRange(letters, choices)) return Either.right([...letters])
  return Either.left(`expected a choice letter (A-${choiceLetter(choices.length - 1)}) or the text of a choice, actual ${describe(target)}`)
}

const readId = (value: unknown, field: string, line: number): Result<string> => {
  if (value === undefined || value === null || value === "") return Either.right(`line-${line}`)
  if (typeof value === "string") return Either.right(value)
  if (typeof value === "number" && Number.isFinite(value)) return Either.right(String(value))
  return Either.left(`${field}: expected a string or a number, actual ${describe(value)}`)
}

const stringMap = (entries: ReadonlyArray<readonly [string, unknown]>): Readonly<Record<string, string>> | undefined => {
  const kept = entries.filter(([, value]) => value !== undefined && value !== null)
  return kept.length === 0 ? undefined : Object.fromEntries(kept.map(([key, value]) => [key, stringify(value)]))
}

const readMetadata = (record: JsonObject, fields: InspectFields): Result<Readonly<Record<string, string>> | undefined> => {
  if (fields.metadata !== undefined) return Either.right(stringMap(fields.metadata.map((name) => [name, own(record, name)])))
  let value = record["metadata"]
  if (value === undefined || value === null || value === "") return Either.right(undefined)
  if (typeof value === "string") {
    try {
      value = JSON.parse(value)
    } catch {
      return Either.left(`metadata: expected a JSON object, actual ${describe(value)}`)
    }
  }
  if (!isRecord(value)) return Either.left(`metadata: expected an object, actual ${describe(value)}`)
  return Either.right(stringMap(Object.entries(value)))
}

const decodeSample = Schema.decodeUnknownEither(Sample, { errors: "all" })

/**
 * One Inspect dataset record (a parsed JSONL object, or a CSV row keyed by header) as a
 * sample, or what is wrong with it. `line` numbers the record for the default id
 * `line-<n>`, since Inspect datasets often carry no ids.
 */
export const inspectSample = (value: unknown, line: number, fields: InspectFields = {}): Imported => {
  if (!isRecord(value)) return Either.left(`expected a JSON object, actual ${describe(value)}`)
  const names = { input: fields.input ?? "input", target: fields.target ?? "target", choices: fields.choices ?? "choices", id: fields.id ?? "id" }
  return Either.gen(function* () {
    if (value[names.input] === undefined) return yield* Either.left(`${names.input}: missing`)
    const input = yield* renderInput(value[names.input], names.input)
    const targets = yield* readTargets(value[names.target], names.target)
    const choices = yield* readChoices(value[names.choices], names.choices)
    const id = yield* readId(value[names.id], names.id, line)
    const metadata = yield* readMetadata(value, fields)
    const answers: Array<string> = []
    for (const target of targets) {
      const given = choices === undefined ? [target] : yield* Either.mapLeft(choiceLetters(target, choices), (e) => `${names.target}: ${e}`)
      for (const answer of given) if (!answers.includes(answer)) answers.push(answer)
    }
    // Inspect credits such an item only when every listed letter is chosen; as a target
    // plus alternatives any one of them would earn credit, so the item is refused instead
    if (choices !== undefined && answers.length > 1) {
      return yield* Either.left(`${names.target}: several correct letters (${answers.join(", ")}); Inspect requires all of them, which a single-letter target cannot express`)
    }
    const [target, ...alternatives] = answers
    return yield* Either.mapLeft(
      decodeSample({
        id,
        input,
        ...(choices === undefined ? {} : { choices }),
        ...(target === undefined ? {} : { target }),
        ...(alternatives.length === 0 ? {} : { alternatives }),
        ...(metadata === undefined ? {} : { metadata })
      }),
      describeParseError
    )
  })
}
