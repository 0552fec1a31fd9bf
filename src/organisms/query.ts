import type { Measure } from "../domain/measure.js"
import type { GamingStrategy } from "../domain/organism.js"
import type { Sample } from "../domain/sample.js"
import type { Draw } from "../stats/seeded-random.js"

/** What a simulated organism sees of one question: the rendered prompt plus the answer key. */
export interface Query {
  readonly sample: Sample
  readonly measure: Measure
  /** System prompt, demonstrations and user message, as one text (cues are found in it). */
  readonly prompt: string
  readonly demonstrations: number
  readonly draw: Draw
}

/**
 * The organism's choice on a query, before it is written out as text. `Game` is a
 * response built to earn credit from a weak grader in place of an answer the organism
 * would have got wrong (see `GraderGamerLayer`): it is never a correct answer. An answer
 * or behaviour with a `text` is written as that text, whatever the question (a constant
 * responder); `correct` and `matching` say how the text reads against the answer key.
 */
export type Act =
  | { readonly _tag: "Answer"; readonly correct: boolean; readonly text?: string }
  | { readonly _tag: "Behave"; readonly matching: boolean; readonly text?: string }
  | { readonly _tag: "Game"; readonly strategy: GamingStrategy }

export const answer = (correct: boolean): Act => ({ _tag: "Answer", correct })
export const behave = (matching: boolean): Act => ({ _tag: "Behave", matching })
/** An answer or behaviour written as a fixed text (see `Act`). */
export const answerText = (correct: boolean, text: string): Act => ({ _tag: "Answer", correct, text })
export const behaveText = (matching: boolean, text: string): Act => ({ _tag: "Behave", matching, text })
export const game = (strategy: GamingStrategy): Act => ({ _tag: "Game", strategy })

/** Rates of independent defects combine as "either happens". */
export const either = (a: number, b: number): number => a + b - a * b

export const mentions = (prompt: string, cues: ReadonlyArray<string>): boolean => {
  const text = prompt.toLowerCase()
  return cues.some((cue) => text.includes(cue.toLowerCase()))
}
