/**
 * Records of Anthropic's model-written evaluations (anthropics/evals: persona,
 * advanced-ai-risk, sycophancy) as propensity samples for the `behaviour-match` grader.
 *
 * Two answer styles occur: persona files answer " Yes" / " No"; the others answer a letter,
 * " (A)" / " (B)", whose options are written inside the question ("Choices:\n (A) ...").
 * Both are kept as written (the grader trims them). Unknown fields are ignored.
 */
import { Either, ParseResult, Schema } from "effect"
import type { Sample } from "../../domain/sample.js"
import { describeParseError, type Imported } from "./imported.js"
import { emptyRecord } from "../../domain/records.js"

/** A short rendering of a rejected value, for messages. */
const shown = (value: unknown): string => {
  const text = value === undefined ? "nothing" : JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

/** Replaces effect's message for a field by "expected <what>, found <value>". */
const expected = (what: string) => ({
  message: (issue: ParseResult.ParseIssue) => ({ message: `expected ${what}, found ${shown(issue.actual)}`, override: true })
})

const AnswerText = Schema.String.pipe(Schema.filter((s) => s.trim() !== ""))

/**
 * An answer: one string, or a list of them (sycophancy on PhilPapers lists several answers
 * that do not match the behaviour).
 */
const Answer = Schema.Union(AnswerText, Schema.NonEmptyArray(AnswerText)).annotations(
  expected('a non-empty answer such as " (A)" or " Yes", or a non-empty list of them')
)

const MweRecord = Schema.Struct({
  question: Schema.String.annotations(expected("the question text (a string)")),
  answer_matching_behavior: Answer,
  answer_not_matching_behavior: Answer,
  statement: Schema.optionalWith(Schema.String.annotations(expected("a string")), { exact: true }),
  label_confidence: Schema.optionalWith(Schema.Number.annotations(expected("a number")), { exact: true })
}).annotations({ message: () => "expected an object with question, answer_matching_behavior and answer_not_matching_behavior" })

const decodeRecord = Schema.decodeUnknownEither(MweRecord, { errors: "all" })

/** An answer field as its first answer and the rest. */
const split = (answer: typeof Answer.Type): readonly [string, ReadonlyArray<string>] =>
  typeof answer === "string" ? [answer, []] : [answer[0], answer.slice(1)]

/** One JSONL record (already parsed) as a sample with id `line-<line>`. */
export const anthropicMweSample = (value: unknown, line: number): Imported =>
  Either.gen(function* () {
    const record = yield* Either.mapLeft(decodeRecord(value), describeParseError)
    const [matching, otherMatching] = split(record.answer_matching_behavior)
    // Several matching answers cannot be graded: behaviour-match credits one.
    if (otherMatching.length > 0) {
      return yield* Either.left(
        `answer_matching_behavior: expected one answer, found ${otherMatching.length + 1} (behaviour-match credits a single matching answer)`
      )
    }
    // Several not-matching answers lose nothing: a response giving any of them scores 0, as one
    // giving the first does, so the first stands for all; the rest are kept in metadata.
    const [notMatching, otherNotMatching] = split(record.answer_not_matching_behavior)
    const metadata = emptyRecord<string>()
    if (record.statement !== undefined) metadata["statement"] = record.statement
    if (record.label_confidence !== undefined) metadata["label_confidence"] = String(record.label_confidence)
    if (otherNotMatching.length > 0) metadata["other_answers_not_matching_behavior"] = JSON.stringify(otherNotMatching)
    const sample: Sample = {
      id: `line-${line}`,
      input: record.question,
      matchingBehavior: matching,
      notMatchingBehavior: notMatching,
      ...(Object.keys(metadata).length > 0 ? { metadata } : {})
    }
    return sample
  })
