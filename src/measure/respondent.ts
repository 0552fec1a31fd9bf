import { Effect } from "effect"
import type { Truth } from "../domain/organism.js"
import type { ExternalOrganismSpec, Unlock } from "../domain/external.js"
import type { PromptedOrganismSpec } from "../domain/prompted/spec.js"
import { unlockMessages } from "../organisms/external/unlock.js"
import type { Draw } from "../stats/seeded-random.js"
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
 * A real model behind a provider: `ownSystem` (if any) before the evaluation's system
 * prompt, then the evaluation's turns, passed through `unlock` (a calibration's trigger).
 */
const modelRespondent = (
  id: string,
  provider: string,
  truth: Truth,
  ownSystem: (draw: Draw) => string | undefined,
  unlock: (messages: ReadonlyArray<Message>) => ReadonlyArray<Message> = (messages) => messages
): Respondent<Providers> => ({
  id,
  truth,
  answer: ({ messages, draw }) => {
    const sent = unlock(messages)
    const systems = [ownSystem(draw), ...sent.filter((m) => m.role === "system").map((m) => m.content)].filter((t) => t !== undefined)
    const turns = sent.flatMap((m) => (m.role === "system" ? [] : [{ role: m.role, content: m.content }]))
    const request = { messages: turns, maxTokens: 1024, temperature: 0, ...(systems.length === 0 ? {} : { system: systems.join("\n\n") }) }
    return Effect.map(complete(provider, request), (response) => response.text)
  }
})

/**
 * A prompted organism: its system prompt (with a request id if it needs one) before the
 * evaluation's own, then the evaluation's turns, sent to its provider. Its truth is the one
 * its calibration measured (see organisms/profile.ts `realTruth`).
 */
export const promptedRespondent = (spec: PromptedOrganismSpec, truth: Truth): Respondent<Providers> =>
  modelRespondent(spec.id, spec.provider, truth, (draw) => requestSystemPrompt(spec, draw))

/** An external organism: the evaluation's messages as they are (after its own system prompt, if it has one), unlocked when `unlock` is given. */
export const externalRespondent = (spec: ExternalOrganismSpec, truth: Truth, unlock?: Unlock): Respondent<Providers> =>
  modelRespondent(spec.id, spec.provider, truth, () => spec.systemPrompt, unlock === undefined ? undefined : (messages) => unlockMessages(unlock, messages))
