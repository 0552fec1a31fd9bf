import type { AnswerFormat } from "../domain/serve.js"
import { targetLetter, type Sample } from "../domain/sample.js"
import type { Act } from "../organisms/query.js"
import { respond, wrongLetter } from "../organisms/respond.js"
import type { Draw } from "../stats/seeded-random.js"

/** "(A)", "A" or " (A) " name option A; anything else is a worded answer (" Yes"). */
const letterOf = (answer: string): string | undefined => /^\(?([A-Z])\)?$/.exec(answer.trim())?.[1]

/** An option letter in the preset's wording. */
const option = (format: Exclude<AnswerFormat, "evalaudit">, letter: string): string => {
  switch (format) {
    case "inspect-multiple-choice":
      return `ANSWER: ${letter}`
    case "anthropic-mwe":
      return `(${letter})`
    case "letter":
      return letter
  }
}

/**
 * Writes an organism's act in the harness's format. The choice (right or wrong option, which
 * wrong one, behaviour shown or not) is the act's and the draw's, exactly as `run` makes it;
 * only the wording changes. `evalaudit`, a gamed answer (its wording is the game) and a
 * constant responder's fixed text are written as `run` writes them.
 */
export const writeAnswer = (format: AnswerFormat, sample: Sample, act: Act, draw: Draw): string => {
  if (format === "evalaudit" || act._tag === "Game" || act.text !== undefined) return respond(sample, act, draw)
  if (act._tag === "Behave") {
    const answer = ((act.matching ? sample.matchingBehavior : sample.notMatchingBehavior) ?? "").trim()
    const letter = letterOf(answer)
    if (letter !== undefined) return option(format, letter)
    return format === "inspect-multiple-choice" ? `ANSWER: ${answer}` : answer
  }
  if (sample.target === undefined) return act.correct ? "" : "I don't know."
  if (sample.choices !== undefined && sample.choices.length > 0) {
    const correct = targetLetter(sample.target)
    return option(format, act.correct ? correct : wrongLetter(sample, correct, draw("respond.wrong")))
  }
  return act.correct ? sample.target : "I don't know."
}

/** What the organism meant by its answer, as recorded: right or wrong, behaviour shown or not (a gamed answer is a wrong one dressed up). */
export type Intended = "correct" | "wrong" | "shown" | "not-shown"

export const intendedOf = (act: Act): Intended => {
  switch (act._tag) {
    case "Answer":
      return act.correct ? "correct" : "wrong"
    case "Behave":
      return act.matching ? "shown" : "not-shown"
    case "Game":
      return "wrong"
  }
}
