import { Schema } from "effect"
import type { Conversation } from "./conversation.js"
import { type Reply, sseEvent, streamPieces } from "./reply.js"

/** A content block; only text blocks (and text inside tool results) carry text a question can be found in. */
const Block = Schema.Struct({
  type: Schema.String,
  text: Schema.optional(Schema.String),
  content: Schema.optional(Schema.Union(Schema.String, Schema.Array(Schema.Struct({ type: Schema.String, text: Schema.optional(Schema.String) }))))
})
const Content = Schema.Union(Schema.String, Schema.Array(Block))

/** The fields of a Messages request the server reads; others (temperature, tools...) are accepted and ignored. */
export const AnthropicRequest = Schema.Struct({
  model: Schema.String,
  max_tokens: Schema.optional(Schema.Int.pipe(Schema.positive())),
  system: Schema.optional(Content),
  messages: Schema.Array(Schema.Struct({ role: Schema.Literal("user", "assistant"), content: Content })).pipe(Schema.minItems(1)),
  stream: Schema.optional(Schema.Boolean)
})
export type AnthropicRequest = typeof AnthropicRequest.Type

const blockText = (block: typeof Block.Type): string =>
  block.text ?? (typeof block.content === "string" ? block.content : (block.content ?? []).map((b) => b.text ?? "").join(""))

const textOf = (content: typeof Content.Type | undefined): string =>
  content === undefined ? "" : typeof content === "string" ? content : content.map(blockText).join("")

export const anthropicConversation = (request: AnthropicRequest): Conversation => ({
  system: textOf(request.system),
  turns: request.messages.map((m) => ({ role: m.role, content: textOf(m.content) }))
})

const message = (reply: Reply, text: string | undefined, stop: boolean, outputTokens: number) => ({
  id: reply.id,
  type: "message",
  role: "assistant",
  model: reply.model,
  content: text === undefined ? [] : [{ type: "text", text }],
  stop_reason: stop ? "end_turn" : null,
  stop_sequence: null,
  usage: { input_tokens: reply.promptTokens, output_tokens: outputTokens }
})

export const anthropicMessage = (reply: Reply) => message(reply, reply.text, true, reply.completionTokens)

/** The whole stream of events, as the Messages API sends them for one text block. */
export const anthropicStream = (reply: Reply): string => {
  const event = (type: string, body: object) => sseEvent(JSON.stringify({ type, ...body }), type)
  return [
    event("message_start", { message: message(reply, undefined, false, 0) }),
    event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    ...streamPieces(reply.text).map((text) => event("content_block_delta", { index: 0, delta: { type: "text_delta", text } })),
    event("content_block_stop", { index: 0 }),
    event("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: reply.completionTokens } }),
    event("message_stop", {})
  ].join("")
}

export type AnthropicErrorKind = "invalid_request_error" | "not_found_error" | "api_error"

/** An error as the Anthropic API words it. */
export const anthropicError = (kind: AnthropicErrorKind, message: string) => ({ type: "error", error: { type: kind, message } })

export const anthropicModels = (ids: ReadonlyArray<string>) => ({
  data: ids.map((id) => ({ type: "model", id, display_name: id, created_at: "1970-01-01T00:00:00Z" })),
  has_more: false,
  first_id: ids[0] ?? null,
  last_id: ids[ids.length - 1] ?? null
})
