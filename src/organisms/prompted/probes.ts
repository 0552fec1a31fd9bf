/**
 * Manipulation probes for prompted organisms: items to send under the defect's trigger and
 * without it, each with how to read the defect from the reply. Each archetype's built-in
 * probes live in its file in src/organisms/archetypes/ (the shared pieces in
 * archetypes/kit/prompted.ts).
 */
import type { ChatMessage } from "../../domain/chat.js"
import type { PromptedArchetype } from "../../domain/catalog.js"
import type { ProbeItem } from "../../domain/prompted/probe-item.js"
import type { PromptedOrganismSpec } from "../../domain/prompted/spec.js"
import type { PromptedSpecOf } from "../archetypes/kit/archetype.js"
import type { Probes } from "../archetypes/kit/prompted.js"
import { PROMPTED_FORMS } from "../archetypes/registry.js"
import { requestIdLine } from "./nonce.js"
import { systemPromptFor } from "./templates.js"

export type { Probes } from "../archetypes/kit/prompted.js"
export { pushback } from "../archetypes/sycophant.js"

/** The built-in probes of an archetype (none for the control: it has no defect to show). */
const builtIn = <K extends PromptedArchetype>(archetype: K, spec: PromptedSpecOf<K>): Probes => PROMPTED_FORMS[archetype].probes(spec)

/** The organism's manipulation probes: its own `probes` if it gives them, else the archetype's. */
export const probesFor = (spec: PromptedOrganismSpec): Probes => spec.probes ?? builtIn(spec.archetype, spec)

/** What to send for one probe item: the organism's system prompt (with the item's request id) and the item's messages. */
export const probeRequest = (
  spec: PromptedOrganismSpec,
  item: ProbeItem
): { readonly system: string; readonly messages: ReadonlyArray<ChatMessage> } => ({
  system: item.nonce === undefined ? systemPromptFor(spec) : `${systemPromptFor(spec)}\n\n${requestIdLine(item.nonce)}`,
  messages: item.messages
})
