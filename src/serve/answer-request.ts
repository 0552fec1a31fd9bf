import type { ResolvedAudit } from "../domain/audit.js"
import type { AnswerFormat, ServeSettings } from "../domain/serve.js"
import { simulate, type SimulatedOrganism } from "../organisms/organism.js"
import { sha256Hex } from "../stats/seeded-random.js"
import type { Intended } from "./answer-format.js"
import type { Conversation } from "./conversation.js"
import { buildIndex, type ItemIndex, recognise } from "./item-index.js"
import { parseModelName } from "./model-name.js"
import { organismAnswer } from "./organism-answer.js"
import { type Proxied, proxiedOrganisms, type UpstreamRequest, upstreamRequest } from "./proxy.js"

/** What the server answers from: the audit's items, its organisms, and the seed their draws hang on. */
export interface ServedAudit {
  readonly name: string
  readonly index: ItemIndex
  readonly organisms: ReadonlyMap<string, SimulatedOrganism>
  /** Model names offered by `/v1/models` and named in errors (held-out organisms are served but never named). */
  readonly listed: ReadonlyArray<string>
  /** Prompted and external organisms: answered by their upstream model (proxy.ts). */
  readonly proxied: ReadonlyMap<string, Proxied>
  readonly seed: number
  readonly replicates: number
  readonly settings: ServeSettings
}

export interface ServeOptions {
  readonly seed?: number | undefined
  /** Overrides the audit's default answer format (not its per-evaluation ones). */
  readonly answerFormat?: AnswerFormat | undefined
}

export const serveAudit = (audit: ResolvedAudit, options: ServeOptions = {}): ServedAudit => {
  const settings: ServeSettings = audit.serve ?? { answerFormat: "evalaudit", answerFormats: {}, fallback: "I don't know." }
  const organisms = new Map([...audit.organisms, ...(audit.heldOut?.organisms ?? [])].map((spec) => [spec.id, simulate(spec)]))
  return {
    name: audit.name,
    index: buildIndex(audit.evaluations),
    organisms,
    listed: [...audit.organisms, ...audit.promptedOrganisms, ...(audit.externalOrganisms ?? [])].flatMap((o) => [
      o.id,
      ...Array.from({ length: audit.replicates }, (_, r) => `${o.id}@${r}`)
    ]),
    proxied: proxiedOrganisms(audit),
    seed: options.seed ?? audit.seed,
    replicates: audit.replicates,
    settings: options.answerFormat === undefined ? settings : { ...settings, answerFormat: options.answerFormat }
  }
}

/** An answer, with what the store records of it; `item` and `intended` are absent for an unrecognised request. */
export interface Answered {
  readonly _tag: "Answered"
  readonly organism: string
  readonly replicate: number
  readonly requestHash: string
  readonly text: string
  readonly item?: { readonly evaluation: string; readonly sample: string; readonly intended: Intended; readonly act: "Answer" | "Behave" | "Game" }
}

/** A request for a real-model organism: what to send upstream, and what the store records of the request. */
export interface ToProxy {
  readonly _tag: "ToProxy"
  readonly organism: string
  readonly replicate: number
  readonly requestHash: string
  readonly upstream: UpstreamRequest
}

/** A model name the audit does not serve: the message names it and the valid ones. */
export interface UnknownModel {
  readonly _tag: "UnknownModel"
  readonly message: string
}

const unknown = (served: ServedAudit, model: string, why: string): UnknownModel => ({
  _tag: "UnknownModel",
  message: `model ${JSON.stringify(model)} ${why}; models of audit ${JSON.stringify(served.name)}: ${served.listed.filter((m) => !m.includes("@")).join(", ")} (each also as <organism>@<replicate>, replicates 0-${served.replicates - 1}; no replicate means 0)`
})

type Answerer = { readonly _tag: "Simulated"; readonly organism: SimulatedOrganism } | { readonly _tag: "Proxied"; readonly proxied: Proxied }

const answererOf = (served: ServedAudit, id: string): Answerer | undefined => {
  const organism = served.organisms.get(id)
  if (organism !== undefined) return { _tag: "Simulated", organism }
  const proxied = served.proxied.get(id)
  return proxied === undefined ? undefined : { _tag: "Proxied", proxied }
}

/**
 * Answers one request: finds the organism and replicate the model name selects, recognises
 * the dataset item in the conversation, and lets the organism answer it as in `run`. A request
 * no item matches gets the audit's fallback reply. Pure: the same request, organism and
 * replicate always get the same answer. A real-model organism's request is returned as
 * what to send upstream instead (`ToProxy`).
 */
export const answerRequest = (served: ServedAudit, model: string, conversation: Conversation, hint?: string): Answered | ToProxy | UnknownModel => {
  const name = parseModelName(model)
  if (name === undefined) return unknown(served, model, "is not <organism> or <organism>@<replicate>")
  const answerer = answererOf(served, name.organism)
  if (answerer === undefined) return unknown(served, model, "is not an organism of the audit")
  const replicate = name.replicate ?? 0
  if (replicate >= served.replicates) return unknown(served, model, `asks for replicate ${replicate}, but the audit has ${served.replicates}`)
  const requestHash = sha256Hex(JSON.stringify([model, conversation.system, conversation.turns.map((t) => [t.role, t.content])]))
  const item = recognise(served.index, conversation, hint)
  if (answerer._tag === "Proxied") {
    const upstream = upstreamRequest(answerer.proxied, conversation, { seed: served.seed, organism: name.organism, replicate, requestHash, item })
    return { _tag: "ToProxy", organism: name.organism, replicate, requestHash, upstream }
  }
  const organism = answerer.organism
  const base = { _tag: "Answered" as const, organism: name.organism, replicate, requestHash }
  if (item === undefined) return { ...base, text: served.settings.fallback }
  const format = served.settings.answerFormats[item.evaluation.id] ?? served.settings.answerFormat
  const answer = organismAnswer(organism, item, conversation, { seed: served.seed, replicate, format })
  return { ...base, text: answer.text, item: { evaluation: item.evaluation.id, sample: item.sample.id, intended: answer.intended, act: answer.act } }
}
