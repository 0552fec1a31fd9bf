/**
 * A generic importer for JSON records of any shape: a field map says where each sample
 * field is in a record, as a path (`question`, `meta.topic`, `choices[].text` to map over
 * a list, `answers[0]` for one element). For example, WMDP-style records
 * (`{question, choices: [{index, text}], correct_answer: 2}`) import with
 * `{ input: "question", choices: "choices[].text", target: "correct_answer" }`.
 */
import { Either, Schema } from "effect"
import { choiceLetter, Sample, targetLetter } from "../../domain/sample.js"
import { describeParseError, type Imported } from "./imported.js"

import { FieldMap, FieldPath } from "../../domain/field-map.js"
import { emptyRecord } from "../../domain/records.js"
export { FieldMap, FieldPath }


/** A short description of a value found in a record, for problem messages. */
export const describeFound = (value: unknown): string => {
  if (value === undefined) return "nothing"
  if (value === null) return "null"
  if (Array.isArray(value)) return `a list of ${value.length}`
  switch (typeof value) {
    case "string":
      return value.length > 40 ? `a string ("${value.slice(0, 37)}...")` : `a string ("${value}")`
    case "number":
    case "boolean":
      return `${typeof value === "number" ? "a number" : "a boolean"} (${String(value)})`
    default:
      return typeof value === "object" ? "an object" : `a ${typeof value}`
  }
}

type Step = { readonly _tag: "key"; readonly key: string } | { readonly _tag: "each" } | { readonly _tag: "index"; readonly index: number }

/** "choices[].text" -> key choices, each, key text. Assumes the path passed `FieldPath`. */
const stepsOf = (path: string): ReadonlyArray<Step> =>
  path.split(".").flatMap((segment): ReadonlyArray<Step> => {
    const bracket = segment.indexOf("[")
    const key = bracket === -1 ? segment : segment.slice(0, bracket)
    const rest = bracket === -1 ? [] : segment.slice(bracket + 1, -1).split("][")
    return [{ _tag: "key", key }, ...rest.map((inner): Step => (inner === "" ? { _tag: "each" } : { _tag: "index", index: Number(inner) }))]
  })

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * The value at a path, or what was found instead; `[]` maps the rest of the path over a
 * list. `where` is the path read so far (`choices[2].text`), for messages.
 */
const resolve = (value: unknown, steps: ReadonlyArray<Step>, where: string): Either.Either<unknown, string> => {
  const [step, ...rest] = steps
  if (step === undefined) return Either.right(value)
  switch (step._tag) {
    case "key": {
      const at = where === "" ? step.key : `${where}.${step.key}`
      if (!isRecord(value)) return Either.left(`${where === "" ? "record" : where}: expected an object with "${step.key}", found ${describeFound(value)}`)
      if (!Object.hasOwn(value, step.key)) return Either.left(`${at}: missing`)
      return resolve(value[step.key], rest, at)
    }
    case "index": {
      const at = `${where}[${step.index}]`
      if (!Array.isArray(value)) return Either.left(`${where}: expected a list, found ${describeFound(value)}`)
      if (step.index >= value.length) return Either.left(`${at}: missing (the list has ${value.length})`)
      return resolve(value[step.index], rest, at)
    }
    case "each": {
      if (!Array.isArray(value)) return Either.left(`${where}: expected a list, found ${describeFound(value)}`)
      const out: Array<unknown> = []
      for (const [i, element] of value.entries()) {
        const resolved = resolve(element, rest, `${where}[${i}]`)
        if (Either.isLeft(resolved)) return resolved
        out.push(resolved.right)
      }
      return Either.right(out)
    }
  }
}

/** The value a sample field's path leads to; problems read `field: path: what was found`. */
const at = (record: unknown, path: string, field: string): Either.Either<unknown, string> =>
  Either.mapLeft(resolve(record, stepsOf(path), ""), (problem) => `${field}: ${problem}`)

/** Text fields accept strings, and numbers or booleans written as text. */
export const scalarText = (value: unknown): string | undefined =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined

const asText = (value: unknown, path: string, field: string): Either.Either<string, string> => {
  const text = scalarText(value)
  return text === undefined ? Either.left(`${field}: ${path}: expected text, found ${describeFound(value)}`) : Either.right(text)
}

const asChoices = (value: unknown, path: string): Either.Either<ReadonlyArray<string>, string> => {
  if (!Array.isArray(value)) return Either.left(`choices: ${path}: expected a list of options, found ${describeFound(value)}`)
  const options: Array<string> = []
  for (const [i, option] of value.entries()) {
    const text = scalarText(option)
    if (text === undefined) return Either.left(`choices: ${path}: option ${i + 1}: expected text, found ${describeFound(option)}`)
    options.push(text)
  }
  return Either.right(options)
}

const INDEX = /^\d+$/

/**
 * The target as the sample wants it: with choices, a letter. A JSON number is an option
 * index (0 -> "A"). A string may be a letter ("B", "(b)"), an index written as text ("2")
 * or one option's text; when two of those readings name different options (options "1",
 * "2" and target "1") the target is ambiguous and reported rather than guessed.
 */
const asTarget = (value: unknown, path: string, choices: ReadonlyArray<string> | undefined): Either.Either<string, string> => {
  if (choices === undefined) return asText(value, path, "target")
  const range = `0-${choices.length - 1} or A-${choiceLetter(choices.length - 1)}`
  const inRange = (index: number): boolean => Number.isInteger(index) && index >= 0 && index < choices.length
  if (typeof value === "number")
    return inRange(value)
      ? Either.right(choiceLetter(value))
      : Either.left(`target: ${path}: option index ${value} is out of range for ${choices.length} options (${range})`)
  if (typeof value !== "string") return Either.left(`target: ${path}: expected an option index or letter, found ${describeFound(value)}`)
  const trimmed = value.trim()
  const letter = targetLetter(trimmed)
  const byText = choices.indexOf(value)
  const readings = new Set<number>()
  if (INDEX.test(trimmed) && inRange(Number(trimmed))) readings.add(Number(trimmed))
  if (/^[A-Z]$/.test(letter) && inRange(letter.charCodeAt(0) - 65)) readings.add(letter.charCodeAt(0) - 65)
  if (byText !== -1 && choices.indexOf(value, byText + 1) === -1) readings.add(byText)
  const [only, ...others] = readings
  if (only !== undefined && others.length === 0) return Either.right(choiceLetter(only))
  if (only !== undefined)
    return Either.left(`target: ${path}: ${describeFound(value)} is ambiguous: it could name option ${[...readings].map(choiceLetter).join(" or ")}`)
  return Either.left(`target: ${path}: expected an option index or letter (${range}) or one option's text, found ${describeFound(value)}`)
}

const metadataValue = (value: unknown): string => scalarText(value) ?? JSON.stringify(value) ?? ""

const decodeSample = Schema.decodeUnknownEither(Sample)

export const mappedSample = (value: unknown, line: number, fields: FieldMap): Imported =>
  Either.gen(function* () {
    if (!isRecord(value)) return yield* Either.left(`record: expected a JSON object, found ${describeFound(value)}`)
    const text = (path: string, field: string) => Either.flatMap(at(value, path, field), (found) => asText(found, path, field))
    const optional = <A>(path: string | undefined, read: (path: string) => Either.Either<A, string>): Either.Either<A | undefined, string> =>
      path === undefined ? Either.right(undefined) : read(path)

    const id = (yield* optional(fields.id, (path) => text(path, "id"))) ?? `line-${line}`
    const input = yield* text(fields.input, "input")
    const choices = yield* optional(fields.choices, (path) => Either.flatMap(at(value, path, "choices"), (found) => asChoices(found, path)))
    const target = yield* optional(fields.target, (path) => Either.flatMap(at(value, path, "target"), (found) => asTarget(found, path, choices)))
    const matchingBehavior = yield* optional(fields.matchingBehavior, (path) => text(path, "matchingBehavior"))
    const notMatchingBehavior = yield* optional(fields.notMatchingBehavior, (path) => text(path, "notMatchingBehavior"))
    const metadata = emptyRecord<string>()
    for (const path of fields.metadata ?? []) {
      const found = at(value, path, "metadata")
      if (Either.isRight(found)) metadata[path] = metadataValue(found.right)
    }
    const sample = {
      id,
      input,
      ...(choices === undefined ? {} : { choices }),
      ...(target === undefined ? {} : { target }),
      ...(matchingBehavior === undefined ? {} : { matchingBehavior }),
      ...(notMatchingBehavior === undefined ? {} : { notMatchingBehavior }),
      ...(Object.keys(metadata).length === 0 ? {} : { metadata })
    }
    // The schema still checks what the map cannot (an empty id, more than 26 options).
    return yield* Either.mapLeft(decodeSample(sample), describeParseError)
  })
