/**
 * Provider settings: one schema gives the type, the defaults and the validation. The API key
 * is never in a settings file: `apiKeyEnv` names the environment variable that holds it,
 * read as a `Redacted` through effect `Config`.
 */
import type { HttpClient } from "@effect/platform"
import { Config, type ConfigError, Effect, Option, type Redacted, Schema } from "effect"
import { anthropic } from "./anthropic.js"
import { type CacheMode, type ResponseCache, withCache } from "./cache.js"
import type { ChatProvider } from "./chat.js"
import { makeHttpProvider, type WireFormat } from "./http-provider.js"
import { ProviderKind, providerIdentity, requestKey } from "./identity.js"
import { openAiCompatible } from "./openai-compatible.js"
import { withResilience } from "./resilience.js"

const HttpUrl = Schema.String.pipe(Schema.pattern(/^https?:\/\/[^\s/]+/))
const PositiveInt = Schema.Int.pipe(Schema.positive())
const PositiveNumber = Schema.Number.pipe(Schema.positive())

/**
 * A described field. A description on a schema also becomes its failure message ("Expected
 * <description>"), so each field states what it expects first and what it means after.
 */
const described = <A, I>(schema: Schema.Schema<A, I>, expected: string, meaning: string) =>
  schema.annotations({ description: `${meaning}: ${expected}`, message: () => `Expected ${expected}` })
const required = <A, I>(schema: Schema.Schema<A, I>, expected: string, meaning: string) =>
  described(schema, expected, meaning)
const optional = <A, I>(schema: Schema.Schema<A, I>, expected: string, meaning: string) =>
  Schema.optional(described(schema, expected, meaning))
const withDefault = <A, I>(schema: Schema.Schema<A, I>, value: A, expected: string, meaning: string) =>
  Schema.optionalWith(described(schema, expected, `${meaning} (default ${value})`), { default: () => value })

/** The descriptions reach editors through the generated JSON Schema. */
export const ProviderSettings = Schema.Struct({
  kind: required(
    ProviderKind,
    '"openai-compatible" or "anthropic"',
    "Wire format: OpenAI chat completions (also vLLM, llama.cpp, Ollama, LM Studio) or Anthropic messages"
  ),
  baseUrl: required(
    HttpUrl,
    "an http:// or https:// URL",
    "Endpoint root, such as https://api.openai.com/v1, http://localhost:11434/v1 or https://api.anthropic.com"
  ),
  model: required(Schema.NonEmptyString, "a non-empty string", "Model name sent with every request"),
  apiKeyEnv: optional(
    Schema.NonEmptyString,
    "a non-empty string",
    "Name of the environment variable holding the API key (the key itself never goes in a file); omit for servers without auth"
  ),
  concurrency: withDefault(PositiveInt, 8, "a positive integer", "Requests in flight at once"),
  requestsPerMinute: optional(PositiveNumber, "a positive number", "Request budget per minute; every attempt counts"),
  tokensPerMinute: optional(
    PositiveNumber,
    "a positive number",
    "Token budget per minute: characters / 4 before a call, corrected by the reported usage after"
  ),
  timeoutMs: withDefault(PositiveInt, 60_000, "a positive integer", "Per-attempt timeout in milliseconds, headers and body"),
  maxRetries: withDefault(Schema.NonNegativeInt, 6, "a non-negative integer", "Retries of rate limits, 5xx, timeouts and dropped connections"),
  initialBackoffMs: withDefault(Schema.NonNegative, 500, "a non-negative number", "First backoff in milliseconds, doubled per retry, jittered"),
  maxBackoffMs: withDefault(
    Schema.NonNegative,
    30_000,
    "a non-negative number",
    "Backoff cap in milliseconds (a longer retry-after is still honoured)"
  )
})
export type ProviderSettings = typeof ProviderSettings.Type

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
