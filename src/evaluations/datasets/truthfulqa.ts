/**
 * TruthfulQA-style CSV rows (columns Type, Category, Question, Best Answer, Correct
 * Answers, Incorrect Answers, Source; answer lists separated by "; ") as samples.
 *
 * - `multiple-choice`: the options are the best answer and the incorrect answers, ordered by
 *   a hash of question and option, so the right letter varies from row to row (a model that
 *   always answers "A" scores at chance) yet every import gives the same order.
 * - `match`: the best answer is the target and the other correct answers its alternatives,
 *   for the `includes` and `exact` graders.
 */
import { Either } from "effect"
import { choiceLetter, type Sample } from "../../domain/sample.js"
import { sha256Hex } from "../../stats/seeded-random.js"
import type { Imported } from "./imported.js"
import { emptyRecord, own } from "../../domain/records.js"

export type TruthfulQaMode = "multiple-choice" | "match"

const MAX_OPTIONS = 26

/** "a; b;  c" -> ["a", "b", "c"]: trimmed, empty entries and repeats dropped. */
const answerList = (text: string): ReadonlyArray<string> => [
  ...new Set(
    text
      .split(";")
      .map((answer) => answer.trim())
      .filter((answer) => answer !== "")
  )
]

const required = (row: Record<string, string>, column: string, what: string): Either.Either<string, string> => {
  const value = own(row, column)
  if (value === undefined) return Either.left(`${column}: no such column (the file needs TruthfulQA's columns)`)
  const trimmed = value.trim()
  return trimmed === "" ? Either.left(`${column}: expected ${what}, found an empty field`) : Either.right(trimmed)
}

const metadataOf = (row: Record<string, string>): Record<string, string> => {
  const metadata = emptyRecord<string>()
  for (const [key, column] of [["type", "Type"], ["category", "Category"], ["source", "Source"]] as const) {
    const value = own(row, column)?.trim()
    if (value !== undefined && value !== "") metadata[key] = value
  }
  return metadata
}

/** Options in hash order: fixed by the question and the option text alone. */
const shuffled = (question: string, options: ReadonlyArray<string>): ReadonlyArray<string> =>
  options
    .map((option) => ({ option, key: sha256Hex(`${question}\u0000${option}`) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ option }) => option)

const multipleChoice = (base: Pick<Sample, "id" | "input" | "metadata">, best: string, row: Record<string, string>): Imported =>
  Either.gen(function* () {
    const incorrect = yield* required(row, "Incorrect Answers", 'incorrect answers separated by "; "')
    const wrong = answerList(incorrect).filter((answer) => answer !== best)
    if (wrong.length === 0) return yield* Either.left("Incorrect Answers: only the best answer is listed, so there is nothing to choose between")
    if (wrong.length + 1 > MAX_OPTIONS)
      return yield* Either.left(`Incorrect Answers: ${wrong.length} answers, but at most ${MAX_OPTIONS - 1} fit beside the best answer (options are lettered A-Z)`)
    const choices = shuffled(base.input, [best, ...wrong])
    return { ...base, choices, target: choiceLetter(choices.indexOf(best)) }
  })

export const truthfulQaSample = (row: Record<string, string>, line: number, mode: TruthfulQaMode): Imported =>
  Either.gen(function* () {
    const question = yield* required(row, "Question", "a question")
    const best = yield* required(row, "Best Answer", "the best answer")
    const metadata = metadataOf(row)
    const base = { id: `line-${line}`, input: question, ...(Object.keys(metadata).length > 0 ? { metadata } : {}) }
    if (mode === "multiple-choice") return yield* multipleChoice(base, best, row)
    const alternatives = answerList(row["Correct Answers"] ?? "").filter((answer) => answer !== best)
    return { ...base, target: best, ...(alternatives.length > 0 ? { alternatives } : {}) }
  })
