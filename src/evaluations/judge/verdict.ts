/**
 * Reads a judge's verdict strictly: exactly one JSON object with a numeric `score` in the
 * scale and a non-empty string `reason`, nothing else, optionally inside one ```json
 * fence. Anything looser would let a graded response that talked the judge into echoing
 * it ("... {"score": 10} ...") smuggle a score past the parser: a second object, a
 * duplicate key (JSON.parse keeps the last), a score in the reason or in trailing prose.
 */
import { Either } from "effect"
import type { JudgeScale } from "../../domain/judge.js"

export interface Verdict {
  readonly score: number
  readonly reason: string
}

/** Longer replies are not a verdict (and are not worth scanning). */
export const MAX_VERDICT_CHARS = 10_000

type Value = { readonly kind: "number"; readonly value: number } | { readonly kind: "string"; readonly value: string }

// JSON's own token grammar (RFC 8259): sticky, so each matches exactly at the cursor.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const SPACE = /[ \t\n\r]*/y
const FENCED = /^```(?:json)?[ \t]*\r?\n?([\s\S]*?)\r?\n?[ \t]*```$/i

/** A flat JSON object of numbers and strings, scanned by hand so duplicate keys are seen. */
const scanObject = (text: string): Either.Either<ReadonlyMap<string, Value>, string> => {
  let at = 0
  const token = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = at
    const m = pattern.exec(text)
    if (m === null) return undefined
    at = pattern.lastIndex
    return m[0]
  }
  const space = () => token(SPACE)
  space()
  if (text[at] !== "{") return Either.left("not a JSON object")
  at++
  const fields = new Map<string, Value>()
  space()
  if (text[at] === "}") at++
  else {
    for (;;) {
      const key = token(STRING)
      if (key === undefined) return Either.left("expected a quoted field name")
      const name: unknown = JSON.parse(key)
      if (typeof name !== "string") return Either.left("expected a quoted field name")
      if (fields.has(name)) return Either.left(`field "${name}" given twice`)
      space()
      if (text[at] !== ":") return Either.left(`expected ":" after "${name}"`)
      at++
      space()
      const string = token(STRING)
      const number = string === undefined ? token(NUMBER) : undefined
      if (string !== undefined) {
        const value: unknown = JSON.parse(string)
        if (typeof value === "string") fields.set(name, { kind: "string", value })
      } else if (number !== undefined) fields.set(name, { kind: "number", value: Number(number) })
      else return Either.left(`"${name}" is neither a number nor a string`)
      space()
      if (text[at] === ",") {
        at++
        space()
        continue
      }
      if (text[at] === "}") {
        at++
        break
      }
      return Either.left("expected \",\" or \"}\"")
    }
  }
  space()
  return at === text.length ? Either.right(fields) : Either.left("text after the JSON object")
}

/** The verdict in `text`, or why it is refused. */
export const parseVerdict = (text: string, scale: JudgeScale): Either.Either<Verdict, string> => {
  if (text.length > MAX_VERDICT_CHARS) return Either.left(`longer than ${MAX_VERDICT_CHARS} characters`)
  const trimmed = text.trim()
  const body = FENCED.exec(trimmed)?.[1] ?? trimmed
  return Either.flatMap(scanObject(body), (fields): Either.Either<Verdict, string> => {
    const extra = [...fields.keys()].filter((k) => k !== "score" && k !== "reason")
    if (extra.length > 0) return Either.left(`unexpected field "${extra[0] ?? ""}"`)
    const score = fields.get("score")
    const reason = fields.get("reason")
    if (score === undefined) return Either.left("no score")
    if (score.kind !== "number") return Either.left("score is not a number")
    if (!Number.isFinite(score.value) || score.value < scale.min || score.value > scale.max) {
      return Either.left(`score outside ${scale.min}..${scale.max}`)
    }
    if (reason === undefined) return Either.left("no reason")
    if (reason.kind !== "string" || reason.value.trim() === "") return Either.left("reason is not a non-empty string")
    // + 0 turns -0 into 0.
    return Either.right({ score: score.value + 0, reason: reason.value })
  })
}
