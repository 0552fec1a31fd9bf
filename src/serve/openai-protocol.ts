import { Schema } from "effect"
import type { Conversation } from "./conversation.js"
import { type Reply, sseEvent, streamPieces } from "./reply.js"

const Part = Schema.Struct({ type: Schema.String, text: Schema.optional(Schema.String) })
const Content = Schema.NullOr(Schema.Union(Schema.String, Schema.Array(Part)))

/** The fields of a Chat Completions request the server reads; others (temperature, tools...) are accepted and ignored. */
export const OpenAiRequest = Schema.Struct({
  model: Schema.String,
  messages: Schema.Array(Schema.Struct({ role: Schema.Literal("system", "developer", "user", "assistant", "tool", "function"), content: Schema.optional(Content) })).pipe(
    Schema.minItems(1)
  ),
  stream: Schema.optional(Schema.NullOr(Schema.Boolean)),
  stream_options: Schema.optional(Schema.NullOr(Schema.Struct({ include_usage: Schema.optional(Schema.NullOr(Schema.Boolean)) }))),
  n: Schema.optional(Schema.NullOr(Schema.Int.pipe(Schema.between(1, 128))))
})
export type OpenAiRequest = typeof OpenAiRequest.Type

const textOf = (content: typeof Content.Type | undefined): string =>
  content === undefined || content === null ? "" : typeof content === "string" ? content : content.map((p) => p.text ?? "").join("")

/** System and developer messages make the system text; tool results are read as user turns. */
export const openAiConversation = (request: OpenAiRequest): Conversation => ({
  system: request.messages.filter((m) => m.role === "system" || m.role === "developer").map((m) => textOf(m.content)).join("\n\n"),
  turns: request.messages.flatMap((m) =>
    m.role === "system" || m.role === "developer" ? [] : [{ role: m.role === "assistant" ? ("assistant" as const) : ("user" as const), content: textOf(m.content) }]
  )
})

const choices = (request: OpenAiRequest) => Array.from({ length: request.n ?? 1 }, (_, index) => index)

const usage = (reply: Reply) => ({
  prompt_tokens: reply.promptTokens,
  completion_tokens: reply.completionTokens,
  total_tokens: reply.promptTokens + reply.completionTokens
})

export const openAiCompletion = (request: OpenAiRequest, reply: Reply) => ({
  id: reply.id,
  object: "chat.completion",
  created: reply.created,
  model: reply.model,
  choices: choices(request).map((index) => ({
    index,
    message: { role: "assistant", content: reply.text, refusal: null },
    logprobs: null,
    finish_reason: "stop"
  })),
  usage: usage(reply)
})

/** The whole stream: a role chunk, one chunk per word, a finishing chunk, usage if asked, then `[DONE]`. */
export const openAiStream = (request: OpenAiRequest, reply: Reply): string => {
  const chunk = (choice: ReadonlyArray<object>, extra: object = {}) =>
    sseEvent(JSON.stringify({ id: reply.id, object: "chat.completion.chunk", created: reply.created, model: reply.model, choices: choice, ...extra }))
  const delta = (d: object, finish: string | null = null) => choices(request).map((index) => ({ index, delta: d, logprobs: null, finish_reason: finish }))
  return [
    chunk(delta({ role: "assistant", content: "" })),
    ...streamPieces(reply.text).map((content) => chunk(delta({ content }))),
    chunk(delta({}, "stop")),
    ...(request.stream_options?.include_usage === true ? [chunk([], { usage: usage(reply) })] : []),
    sseEvent("[DONE]")
  ].join("")
}

export type OpenAiErrorKind = "invalid_request_error" | "model_not_found" | "not_found" | "server_error"

/** An error as the OpenAI API words it. */
export const openAiError = (kind: OpenAiErrorKind, message: string, param: string | null = null) => ({
  error: {
    message,
    type: kind === "model_not_found" ? "invalid_request_error" : kind === "not_found" ? "invalid_request_error" : kind,
    param,
    code: kind === "model_not_found" ? "model_not_found" : null
  }
})

export const openAiModels = (ids: ReadonlyArray<string>) => ({
  object: "list",
  data: ids.map((id) => ({ id, object: "model", created: 0, owned_by: "evalaudit" }))
})
