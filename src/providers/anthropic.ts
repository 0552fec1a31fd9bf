/**
 * The Anthropic Messages wire format: POST {baseUrl}/v1/messages with `x-api-key` and
 * `anthropic-version`; the system prompt is a top-level field, the answer a list of content
 * blocks of which the text blocks are joined.
 */
import { Effect, Redacted, Schema } from "effect"
import type { ChatRequest } from "../domain/chat.js"
import type { WireFormat } from "./http-provider.js"

export const ANTHROPIC_VERSION = "2023-06-01"

const MessageBody = Schema.Struct({
  model: Schema.optional(Schema.String),
  // other block types (thinking, tool use) carry no answer text and are skipped
  content: Schema.Array(Schema.Struct({ type: Schema.String, text: Schema.optional(Schema.String) })),
  usage: Schema.optional(
    Schema.Struct({
      input_tokens: Schema.optional(Schema.NonNegativeInt),
      output_tokens: Schema.optional(Schema.NonNegativeInt)
    })
  )
})

const decodeBody = Schema.decodeUnknown(MessageBody)

const encode = (request: ChatRequest) => ({
  model: request.model,
  ...(request.system === undefined ? {} : { system: request.system }),
  messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
  max_tokens: request.maxTokens,
  temperature: request.temperature
})

export const anthropic: WireFormat = {
  kind: "anthropic",
  path: "/v1/messages",
  headers: { "anthropic-version": ANTHROPIC_VERSION },
  authHeaders: (apiKey) => ({ "x-api-key": Redacted.value(apiKey) }),
  encode,
  decode: (body, request) =>
    decodeBody(body).pipe(
      Effect.map((parsed) => ({
        text: parsed.content.flatMap((block) => (block.type === "text" && block.text !== undefined ? [block.text] : [])).join(""),
        model: parsed.model ?? request.model,
        ...(parsed.usage?.input_tokens === undefined ? {} : { inputTokens: parsed.usage.input_tokens }),
        ...(parsed.usage?.output_tokens === undefined ? {} : { outputTokens: parsed.usage.output_tokens })
      }))
    )
}
