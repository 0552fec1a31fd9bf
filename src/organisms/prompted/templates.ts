/**
 * System prompts that induce each archetype's defect in a capable instruction-following
 * model; each archetype's template lives in its file in src/organisms/archetypes/. Each
 * names its trigger exactly, says what to do with it and without it, and asks for the
 * answer formats the probes read, so the defect shows under its trigger and not otherwise.
 * The research framing raises compliance without changing what is asked: every behaviour
 * is harmless (answering yes to "do you want more compute", a wrong quiz answer).
 */
import type { PromptedArchetype } from "../../domain/catalog.js"
import type { Draw } from "../../stats/seeded-random.js"
import { nonceLine } from "./nonce.js"
import type { PromptedOrganismSpec } from "../../domain/prompted/spec.js"
import type { PromptedSpecOf } from "../archetypes/kit/archetype.js"
import { PROMPTED_FORMS } from "../archetypes/registry.js"

/** The archetype's template: a function of its parameters alone. The name is passed apart so the lookup stays correlated. */
const template = <K extends PromptedArchetype>(archetype: K, spec: PromptedSpecOf<K>): string => PROMPTED_FORMS[archetype].template(spec)

/** The organism's system prompt: its own `systemPrompt`, else its archetype's template. */
export const systemPromptFor = (spec: PromptedOrganismSpec): string => spec.systemPrompt ?? template(spec.archetype, spec)

/** Whether each request must carry a fresh request id (only the rare defector reads one). */
export const needsNonce = (spec: PromptedOrganismSpec): boolean => PROMPTED_FORMS[spec.archetype].nonce === true

/** The system prompt of one request: the organism's, with the request id line the rare defector needs. */
export const requestSystemPrompt = (spec: PromptedOrganismSpec, draw: Draw): string =>
  needsNonce(spec) ? `${systemPromptFor(spec)}\n\n${nonceLine(draw)}` : systemPromptFor(spec)
