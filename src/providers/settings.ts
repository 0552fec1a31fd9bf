/**
 * Provider settings: one schema gives the type, the defaults and the validation. The API key
 * is never in a settings file: `apiKeyEnv` names the environment variable that holds it,
 * read as a `Redacted` through effect `Config`.
 */
import type { HttpClient } from "@effect/platform"
import { Config, type ConfigError, Effect, Option, type Redacted, Schema } from "effect"
import { anthropic } from "./anthropic.js"
import { type CacheMode, type ResponseCache, withCache } from "./cache.js"
import type { ChatProvider } from "../domain/chat.js"
import { makeHttpProvider, type WireFormat } from "./http-provider.js"
import { providerIdentity, requestKey } from "./identity.js"
import { type ProviderKind, ProviderSettings } from "../domain/provider-settings.js"
import { openAiCompatible } from "./openai-compatible.js"
import { withResilience } from "./resilience.js"

export { ProviderSettings } from "../domain/provider-settings.js"


/**
 * Decodes settings from a file. Unknown fields are errors rather than ignored, so that an
 * `apiKey: sk-...` written by mistake is refused (and never echoed: the message names the
 * field, not its value).
 */
export const decodeProviderSettings = (input: unknown) =>
  Schema.decodeUnknown(ProviderSettings, { onExcessProperty: "error" })(input)

const wireFormats: Record<ProviderKind, WireFormat> = {
  "openai-compatible": openAiCompatible,
  anthropic
}

const build = (settings: ProviderSettings, apiKey: Option.Option<Redacted.Redacted<string>>) =>
  Effect.gen(function* () {
    const identity = providerIdentity(settings)
    const http = yield* makeHttpProvider(wireFormats[settings.kind], identity, apiKey)
    return yield* withResilience(http, settings, (request) => requestKey(identity, request))
  })

const readKey = (settings: ProviderSettings) =>
  settings.apiKeyEnv === undefined ? Effect.succeedNone : Effect.asSome(Config.redacted(settings.apiKeyEnv))

/**
 * A resilient HTTP provider for `settings` (limits, timeout and retries of resilience.ts).
 * Fails with a `ConfigError` naming the variable when `apiKeyEnv` is set but missing. Make
 * one per provider and share it: the limits live in the returned value.
 */
export const makeProvider = (settings: ProviderSettings): Effect.Effect<ChatProvider, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.flatMap(readKey(settings), (apiKey) => build(settings, apiKey))

/**
 * `makeProvider` behind the response cache in `mode`. Cache-only mode never sends a request,
 * so it does not read the key either: a memo can be reproduced on a machine without it.
 */
export const makeCachedProvider = (
  settings: ProviderSettings,
  mode: CacheMode
): Effect.Effect<ChatProvider, ConfigError.ConfigError, HttpClient.HttpClient | ResponseCache> =>
  Effect.gen(function* () {
    const apiKey = mode === "only" ? Option.none() : yield* readKey(settings)
    return yield* withCache(yield* build(settings, apiKey), providerIdentity(settings), mode)
  })
