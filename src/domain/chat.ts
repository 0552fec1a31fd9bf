/**
 * The provider model: what the runner asks a language model (`ChatRequest`), what it gets
 * back (`ChatResponse`), how a call fails (`ProviderError`) and the one interface every
 * provider, decorator and cache implements (`ChatProvider`).
 */
import { type Effect, Schema } from "effect"

export const ChatRole = Schema.Literal("user", "assistant")
export type ChatRole = typeof ChatRole.Type

export const ChatMessage = Schema.Struct({
  role: ChatRole,
  content: Schema.String
})
export type ChatMessage = typeof ChatMessage.Type

/**
 * One chat completion. `temperature` defaults to 0 (decoding and `ChatRequest.make` alike)
 * so a request written with or without it has the same cache key.
 */
export const ChatRequest = Schema.Struct({
  model: Schema.NonEmptyString,
  system: Schema.optional(Schema.String),
  messages: Schema.Array(ChatMessage).pipe(Schema.minItems(1)),
  maxTokens: Schema.Int.pipe(Schema.positive()),
  temperature: Schema.optionalWith(Schema.Number.pipe(Schema.between(0, 2)), { default: () => 0 })
})
export type ChatRequest = typeof ChatRequest.Type

export const ChatResponse = Schema.Struct({
  text: Schema.String,
  inputTokens: Schema.optional(Schema.NonNegativeInt),
  outputTokens: Schema.optional(Schema.NonNegativeInt),
  model: Schema.String
})
export type ChatResponse = typeof ChatResponse.Type

/** Why a provider call failed; the retry policy and the runner branch on this, never on text. */
export const ProviderErrorReason = Schema.Literal(
  "RateLimited", // 429
  "Server", // 5xx
  "Timeout", // our per-attempt timeout or HTTP 408
  "Network", // connection refused, reset or dropped mid-response
  "Malformed", // a 2xx whose body is not the wire format's JSON
  "Auth", // 401, 403
  "BadRequest", // any other 4xx, or a request that cannot be built
  "CacheMiss" // cache-only mode and no stored response
)
export type ProviderErrorReason = typeof ProviderErrorReason.Type

/**
 * A failed provider call. `attempts` counts the HTTP attempts made (0 for a cache miss).
 * The message is always passed through `redactSecrets` before construction: it never
 * carries the API key or an Authorization header.
 */
export class ProviderError extends Schema.TaggedError<ProviderError>()("ProviderError", {
  reason: ProviderErrorReason,
  status: Schema.optional(Schema.Int),
  attempts: Schema.NonNegativeInt,
  /** The wait the server asked for (`retry-after`), when it gave one. */
  retryAfterMs: Schema.optional(Schema.NonNegative),
  message: Schema.String
}) {}

/** Reasons worth another attempt: the same request may well succeed later. */
export const isRetryable = (reason: ProviderErrorReason): boolean =>
  reason === "RateLimited" || reason === "Server" || reason === "Timeout" || reason === "Network"

export interface ChatProvider {
  /** Names the endpoint and model in logs and errors (never the key). */
  readonly id: string
  readonly complete: (request: ChatRequest) => Effect.Effect<ChatResponse, ProviderError>
}

/** Rough token count of a request before it is sent: characters / 4, rounded up. */
export const estimateTokens = (request: ChatRequest): number => {
  let chars = request.system?.length ?? 0
  for (const message of request.messages) chars += message.content.length
  return Math.ceil(chars / 4)
}
