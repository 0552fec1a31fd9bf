/**
 * Real-model organisms behind `serve`: a prompted organism's system prompt (with the request
 * id a rare defector reads) or an external organism's own, put before the harness's system
 * prompt, and the harness's turns sent on to the organism's upstream provider, as `run`
 * sends an evaluation's. Pure: what to send; http-app.ts sends it.
 */
import type { ResolvedAudit } from "../domain/audit.js"
import type { ChatMessage } from "../domain/chat.js"
import { requestSystemPrompt } from "../organisms/prompted/templates.js"
import { type Draw, drawFor } from "../stats/seeded-random.js"
import type { Conversation } from "./conversation.js"
import type { Recognised } from "./item-index.js"

/** A served organism whose answers come from a model: its provider and the system prompt it adds. */
export interface Proxied {
  readonly provider: string
  /** The organism's own system text for a request, given the draw the request is keyed to. */
  readonly system: (draw: Draw) => string | undefined
}

/** What to send upstream: the provider id and the request, without the model (the provider's settings name it). */
export interface UpstreamRequest {
  readonly provider: string
  readonly system?: string
  readonly messages: ReadonlyArray<ChatMessage>
  readonly maxTokens: number
  readonly temperature: number
}

export const proxiedOrganisms = (audit: ResolvedAudit): ReadonlyMap<string, Proxied> =>
  new Map<string, Proxied>([
    ...audit.promptedOrganisms.map((spec): [string, Proxied] => [spec.id, { provider: spec.provider, system: (draw) => requestSystemPrompt(spec, draw) }]),
    ...(audit.externalOrganisms ?? []).map((spec): [string, Proxied] => [spec.id, { provider: spec.provider, system: () => spec.systemPrompt }])
  ])

/**
 * The upstream request for one served request. The draw (only a rare defector's request id
 * uses it) is keyed as in `run` when the item is recognised, so `serve` and `run` send a
 * recognised item the same request id; otherwise by the request's hash.
 */
export const upstreamRequest = (
  proxied: Proxied,
  conversation: Conversation,
  key: { readonly seed: number; readonly organism: string; readonly replicate: number; readonly requestHash: string; readonly item: Recognised | undefined }
): UpstreamRequest => {
  const { item } = key
  const draw = drawFor({
    seed: key.seed,
    organism: key.organism,
    evaluation: item === undefined ? "serve" : (item.evaluation.randomness ?? item.evaluation.id),
    sample: item === undefined ? key.requestHash : item.sample.id,
    epoch: 0,
    replicate: key.replicate
  })
  const systems = [proxied.system(draw), conversation.system].filter((s) => s !== undefined && s !== "")
  // Temperature 0 and the token budget `run` uses, so a served answer is the one `run` would have got.
  return {
    provider: proxied.provider,
    ...(systems.length === 0 ? {} : { system: systems.join("\n\n") }),
    messages: conversation.turns.map((t) => ({ role: t.role, content: t.content })),
    maxTokens: 1024,
    temperature: 0
  }
}
