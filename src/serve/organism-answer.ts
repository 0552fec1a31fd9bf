import type { AnswerFormat } from "../domain/serve.js"
import type { SimulatedOrganism } from "../organisms/organism.js"
import type { Act } from "../organisms/query.js"
import { drawFor } from "../stats/seeded-random.js"
import { writeAnswer, intendedOf, type Intended } from "./answer-format.js"
import { type Conversation, conversationText } from "./conversation.js"
import type { Recognised } from "./item-index.js"

export interface OrganismAnswer {
  readonly text: string
  readonly intended: Intended
  readonly act: Act["_tag"]
}

/**
 * A simulated organism's answer to a recognised item, decided as `run` decides it: the same
 * draw key (seed, organism, evaluation or the one whose draws it shares, sample, epoch 0,
 * replicate) and the same act on the prompt, here the prompt the harness rendered (its
 * cues and triggers are what the organism reacts to).
 */
export const organismAnswer = (
  organism: SimulatedOrganism,
  item: Recognised,
  conversation: Conversation,
  options: { readonly seed: number; readonly replicate: number; readonly format: AnswerFormat }
): OrganismAnswer => {
  const { evaluation, sample } = item
  const draw = drawFor({
    seed: options.seed,
    organism: organism.spec.id,
    evaluation: evaluation.randomness ?? evaluation.id,
    sample: sample.id,
    epoch: 0,
    replicate: options.replicate
  })
  const act = organism.act({ sample, measure: evaluation.measures, prompt: conversationText(conversation), demonstrations: item.demonstrations, draw })
  return { text: writeAnswer(options.format, sample, act, draw), intended: intendedOf(act), act: act._tag }
}
