import { Effect } from "effect"
import type { Truth } from "../domain/organism.js"
import type { PromptedOrganismSpec } from "../domain/prompted/spec.js"
import type { Message } from "../evaluations/prompt.js"
import type { SimulatedOrganism } from "../organisms/organism.js"
import type { Query as OrganismQuery } from "../organisms/query.js"
import { requestSystemPrompt } from "../organisms/prompted/templates.js"
import { respond } from "../organisms/respond.js"
import { complete, type Providers } from "./providers.js"
import type { Step } from "./step.js"

/** A sample's prompt, rendered once per evaluation: as one text (for cues) and as messages (for a model). */
export interface PreparedPrompt {
  readonly text: string
  readonly demonstrations: number
  readonly messages: ReadonlyArray<Message>
}

/**
 * One rendered sample in one epoch, with the draw the seeded hash gives that ask: what a
 * simulated organism sees (so it is passed to the organism as it is, one object per ask
 * on the fast path), plus the messages a model is sent.
 */
export interface Query extends OrganismQuery {
  readonly messages: ReadonlyArray<Message>
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
  answer: (query) => respond(query.sample, organism.act(query), query.draw)
})

/**
 * A prompted organism: its system prompt (with a request id if it needs one) before the
 * evaluation's own, then the evaluation's turns, sent to its provider.
 */
export const promptedRespondent = (spec: PromptedOrganismSpec): Respondent<Providers> => ({
  id: spec.id,
  truth: spec.truth,
  answer: ({ messages, draw }) => {
    const system = [requestSystemPrompt(spec, draw), ...messages.filter((m) => m.role === "system").map((m) => m.content)].join("\n\n")
    const turns = messages.flatMap((m) => (m.role === "system" ? [] : [{ role: m.role, content: m.content }]))
    return Effect.map(complete(spec.provider, { system, messages: turns, maxTokens: 1024, temperature: 0 }), (response) => response.text)
  }
})
