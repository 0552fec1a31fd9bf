/**
 * The OpenAI chat-completions wire format, spoken by OpenAI and by most local servers
 * (vLLM, llama.cpp, Ollama, LM Studio): POST {baseUrl}/chat/completions with a Bearer key;
 * the system prompt is the first message.
 */
import { Effect, Redacted, Schema } from "effect"
import type { ChatRequest } from "../domain/chat.js"
import type { WireFormat } from "./http-provider.js"

const CompletionBody = Schema.Struct({
  model: Schema.optional(Schema.String),
  choices: Schema.Array(
    Schema.Struct({
      // null when the model returned only a refusal or a tool call: no text
      message: Schema.Struct({ content: Schema.optional(Schema.NullOr(Schema.String)) })
    })
  ).pipe(Schema.minItems(1)),
  usage: Schema.optional(
    Schema.NullOr(
      Schema.Struct({
        prompt_tokens: Schema.optional(Schema.NonNegativeInt),
        completion_tokens: Schema.optional(Schema.NonNegativeInt)
      })
    )
  )
})

const decodeBody = Schema.decodeUnknown(CompletionBody)

const encode = (request: ChatRequest) => ({
  model: request.model,
  messages: [
    ...(request.system === undefined ? [] : [{ role: "system", content: request.system }]),
    ...request.messages.map((m) => ({ role: m.role, content: m.content }))
  ],
  max_tokens: request.maxTokens,
  temperature: request.temperature
})

export const openAiCompatible: WireFormat = {
  kind: "openai-compatible",
  path: "/chat/completions",
  headers: {},
  authHeaders: (apiKey) => ({ authorization: `Bearer ${Redacted.value(apiKey)}` }),
  encode,
  decode: (body, request) =>
    decodeBody(body).pipe(
      Effect.map((parsed) => {
        const usage = parsed.usage ?? undefined
        return {
          text: parsed.choices[0]?.message.content ?? "",
          model: parsed.model ?? request.model,
          ...(usage?.prompt_tokens === undefined ? {} : { inputTokens: usage.prompt_tokens }),
          ...(usage?.completion_tokens === undefined ? {} : { outputTokens: usage.completion_tokens })
        }
      })
    )
}
