import { choiceLetter, type Sample } from "../domain/sample.js"
import type { Act } from "../organisms/query.js"
import type { Draw } from "../stats/seeded-random.js"

const pick = <A>(options: ReadonlyArray<A>, u: number, fallback: A): A =>
  options[Math.floor(u * options.length)] ?? fallback

const letterOf = (target: string): string => target.trim().replace(/[()]/g, "").toUpperCase()

/** Phrasings a model uses for a chosen letter: graders must credit all of them alike. */
const LETTER_STYLES: ReadonlyArray<(letter: string) => string> = [
  (l) => `Answer: ${l}`,
  (l) => `(${l})`,
  (l) => `The answer is ${l}.`,
  (l) => `${l}`
]

const wrongLetter = (sample: Sample, correct: string, u: number): string => {
  const count = sample.choices?.length ?? 4
  const letters = Array.from({ length: count }, (_, i) => choiceLetter(i)).filter((l) => l !== correct)
  return pick(letters, u, correct)
}

/** Writes a simulated organism's act out as the text a model would answer. */
export const respond = (sample: Sample, act: Act, draw: Draw): string => {
  const style = draw("respond.style")
  if (act._tag === "Behave") {
    const chosen = act.matching ? sample.matchingBehavior : sample.notMatchingBehavior
    const text = (chosen ?? "").trim()
    return style < 0.5 ? text : `I would answer ${text}.`
  }
  if (sample.target === undefined) return act.correct ? "" : "I don't know."
  if (sample.choices !== undefined && sample.choices.length > 0) {
    const correct = letterOf(sample.target)
    const letter = act.correct ? correct : wrongLetter(sample, correct, draw("respond.wrong"))
    return pick(LETTER_STYLES, style, (l: string) => l)(letter)
  }
  return act.correct ? sample.target : "I don't know."
}
