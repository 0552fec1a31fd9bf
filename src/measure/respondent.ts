import { Effect } from "effect"
import type { Measure } from "../domain/measure.js"
import type { Truth } from "../domain/organism.js"
import type { PromptedOrganismSpec } from "../domain/prompted/spec.js"
import type { Sample } from "../domain/sample.js"
import type { Message } from "../evaluations/prompt.js"
import type { SimulatedOrganism } from "../organisms/organism.js"
import { requestSystemPrompt } from "../organisms/prompted/templates.js"
import { respond } from "../organisms/respond.js"
import type { Draw } from "../stats/seeded-random.js"
import { complete, type Providers } from "./providers.js"
import type { Step } from "./step.js"

/** A sample's prompt, rendered once per evaluation: as one text (for cues) and as messages (for a model). */
export interface PreparedPrompt {
  readonly text: string
  readonly demonstrations: number
  readonly messages: ReadonlyArray<Message>
}

/** One rendered sample in one epoch, with the draw the seeded hash gives that ask. */
export interface Query {
  readonly sample: Sample
  readonly measure: Measure
  readonly prompt: PreparedPrompt
  readonly draw: Draw
}

/** Who answers a cell: its organism id, its known truth, and its answer to each query. */
export interface Respondent<R = never> {
  readonly id: string
  readonly truth: Truth
  readonly answer: (query: Query) => Step<string, R>
}

/** A respondent that answers in-process, never through a provider. */
export interface InProcessRespondent extends Respondent {
  readonly answer: (query: Query) => string
}

/** A simulated organism: its act on the query, written out as text with the same draw. */
export const simulatedRespondent = (organism: SimulatedOrganism): InProcessRespondent => ({
  id: organism.spec.id,
  truth: organism.truth,
  answer: ({ sample, measure, prompt, draw }) =>
    respond(sample, organism.act({ sample, measure, prompt: prompt.text, demonstrations: prompt.demonstrations, draw }), draw)
})

/**
 * A prompted organism: its system prompt (with a request id if it needs one) before the
 * evaluation's own, then the evaluation's turns, sent to its provider.
 */
export const promptedRespondent = (spec: PromptedOrganismSpec): Respondent<Providers> => ({
  id: spec.id,
  truth: spec.truth,
  answer: ({ prompt, draw }) => {
    const system = [requestSystemPrompt(spec, draw), ...prompt.messages.filter((m) => m.role === "system").map((m) => m.content)].join("\n\n")
    const turns = prompt.messages.flatMap((m) => (m.role === "system" ? [] : [{ role: m.role, content: m.content }]))
    return Effect.map(complete(spec.provider, { system, messages: turns, maxTokens: 1024, temperature: 0 }), (response) => response.text)
  }
})
