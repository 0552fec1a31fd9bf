import { Schema } from "effect"

/** Wire format of a provider endpoint. */
export const ProviderKind = Schema.Literal("openai-compatible", "anthropic")
export type ProviderKind = typeof ProviderKind.Type

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
