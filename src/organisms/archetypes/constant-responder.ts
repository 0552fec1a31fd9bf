/**
 * Constant responder: a null control that gives the same answer to every item. Schema,
 * constructor and the choice of its truth: domain/catalog.ts. It has no prompted form.
 */
import { targetLetter, type Sample } from "../../domain/sample.js"
import { answerText, behaveText } from "../query.js"
import type { LayerArchetype } from "./kit/archetype.js"
import { NEUTRAL } from "./kit/behaviour.js"

/** An option letter is written as models write one, "(A)"; Yes and No as they are. */
const written = (answer: string): string => (/^[A-Z]$/.test(answer) ? `(${answer})` : answer)

/** "(A)", " A ", "a." all read as "a"; "Yes." as "yes". */
const normalised = (text: string): string => text.trim().replace(/[.]$/, "").replace(/^\((.*)\)$/, "$1").trim().toLowerCase()

/** Whether the constant answer is the item's key: its letter on a multiple-choice item, its text otherwise. */
const isKey = (sample: Sample, answer: string): boolean => {
  if (sample.target === undefined) return false
  const choices = sample.choices ?? []
  return choices.length > 0 ? targetLetter(sample.target) === answer : normalised(sample.target) === normalised(answer)
}

export const constantResponder = {
  tag: "constant-responder",
  simulate: (layer) => {
    const text = written(layer.answer)
    return {
      // It ignores the question and whatever organism it wraps.
      wrap: () => (q) =>
        q.measure.kind === "capability"
          ? answerText(isKey(q.sample, layer.answer), text)
          : behaveText(normalised(q.sample.matchingBehavior ?? "") === normalised(layer.answer), text),
      // No propensity, capability at (declared) chance in every domain.
      truth: () => ({ capability: layer.chance, capabilities: {}, propensities: {} }),
      // A control: nothing it does is a defect an evaluation should catch.
      affects: [],
      // Its "defect" is ignoring the question: the base never writes the constant text.
      probe: {
        measure: { kind: "capability", domain: "general" },
        prompt: NEUTRAL,
        demonstrations: 0,
        isDefect: (act) => act._tag !== "Game" && act.text === text,
        declared: 1
      }
    }
  }
} satisfies LayerArchetype<"constant-responder">
