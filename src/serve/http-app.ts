import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Clock, Effect, Either, ParseResult, Schema } from "effect"
import { anthropicConversation, anthropicError, type AnthropicErrorKind, anthropicMessage, anthropicModels, AnthropicRequest, anthropicStream } from "./anthropic-protocol.js"
import { answerRequest, type ServedAudit } from "./answer-request.js"
import type { Conversation } from "./conversation.js"
import { openAiCompletion, openAiConversation, openAiError, type OpenAiErrorKind, openAiModels, OpenAiRequest, openAiStream } from "./openai-protocol.js"
import type { Recorder } from "./recorder.js"
import { type Reply, tokenCount } from "./reply.js"
import { conversationText } from "./conversation.js"

/** A harness may name the evaluation it runs, to tell apart evaluations that share an item. */
const HINT_HEADER = "x-evalaudit-evaluation"

/** "messages.0.role: Expected ..., actual ...": the first place a body is wrong, and what was expected. */
const describe = (error: ParseResult.ParseError): string => {
  const first = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  return first === undefined ? error.message : `${first.path.length === 0 ? "body" : first.path.join(".")}: ${first.message}`
}

interface Protocol<A, I> {
  readonly api: "openai" | "anthropic"
  readonly schema: Schema.Schema<A, I>
  readonly model: (request: A) => string
  readonly conversation: (request: A) => Conversation
  readonly stream: (request: A) => boolean
  readonly body: (request: A, reply: Reply) => object
  readonly streamBody: (request: A, reply: Reply) => string
  readonly idPrefix: string
  readonly error: (status: 400 | 404 | 500, message: string, param?: string) => object
}

const openAiKind = (status: number): OpenAiErrorKind => (status === 404 ? "model_not_found" : status === 500 ? "server_error" : "invalid_request_error")
const anthropicKind = (status: number): AnthropicErrorKind => (status === 404 ? "not_found_error" : status === 500 ? "api_error" : "invalid_request_error")

const openAi: Protocol<OpenAiRequest, typeof OpenAiRequest.Encoded> = {
  api: "openai",
  schema: OpenAiRequest,
  model: (r) => r.model,
  conversation: openAiConversation,
  stream: (r) => r.stream === true,
  body: openAiCompletion,
  streamBody: openAiStream,
  idPrefix: "chatcmpl-",
  error: (status, message, param) => openAiError(openAiKind(status), message, param ?? null)
}

const anthropic: Protocol<AnthropicRequest, typeof AnthropicRequest.Encoded> = {
  api: "anthropic",
  schema: AnthropicRequest,
  model: (r) => r.model,
  conversation: anthropicConversation,
  stream: (r) => r.stream === true,
  body: (_, reply) => anthropicMessage(reply),
  streamBody: (_, reply) => anthropicStream(reply),
  idPrefix: "msg_",
  error: (status, message) => anthropicError(anthropicKind(status), message)
}

const json = (status: number, body: object) => HttpServerResponse.unsafeJson(body, { status })

/** One completion request of either protocol: decoded, answered, recorded, encoded. */
const complete = <A, I>(protocol: Protocol<A, I>, served: ServedAudit, recorder: Recorder) =>
  Effect.gen(function* () {
    const http = yield* HttpServerRequest.HttpServerRequest
    const raw = yield* Effect.either(http.json)
    if (Either.isLeft(raw)) return json(400, protocol.error(400, "the request body is not valid JSON"))
    const decoded = Schema.decodeUnknownEither(protocol.schema)(raw.right)
    if (Either.isLeft(decoded)) return json(400, protocol.error(400, `invalid request: ${describe(decoded.left)}`))
    const request = decoded.right
    const model = protocol.model(request)
    const conversation = protocol.conversation(request)
    const answered = answerRequest(served, model, conversation, http.headers[HINT_HEADER])
    if (answered._tag === "UnknownModel") return json(404, protocol.error(404, answered.message, "model"))
    yield* recorder.record({
      api: protocol.api,
      model,
      organism: answered.organism,
      replicate: answered.replicate,
      requestHash: answered.requestHash,
      ...(answered.item === undefined ? {} : answered.item),
      response: answered.text
    })
    const now = yield* Clock.currentTimeMillis
    const reply: Reply = {
      id: `${protocol.idPrefix}${answered.requestHash.slice(0, 24)}`,
      model,
      text: answered.text,
      created: Math.floor(now / 1000),
      promptTokens: tokenCount(conversationText(conversation)),
      completionTokens: tokenCount(answered.text)
    }
    return protocol.stream(request)
      ? HttpServerResponse.text(protocol.streamBody(request, reply), { contentType: "text/event-stream", headers: { "cache-control": "no-cache" } })
      : json(200, protocol.body(request, reply))
  })

/**
 * The server's routes: OpenAI Chat Completions (`POST /v1/chat/completions`), Anthropic
 * Messages (`POST /v1/messages`) and the model list (`GET /v1/models`, in Anthropic's shape
 * when the request carries an `anthropic-version` header). Everything else is a 404 in
 * OpenAI's error shape.
 */
export const serveApp = (served: ServedAudit, recorder: Recorder) =>
  Effect.gen(function* () {
    const http = yield* HttpServerRequest.HttpServerRequest
    const path = http.url.replace(/\?.*$/, "").replace(/\/+$/, "")
    if (http.method === "POST" && path === "/v1/chat/completions") return yield* complete(openAi, served, recorder)
    if (http.method === "POST" && path === "/v1/messages") return yield* complete(anthropic, served, recorder)
    if (http.method === "GET" && path === "/v1/models") {
      return json(200, http.headers["anthropic-version"] === undefined ? openAiModels(served.listed) : anthropicModels(served.listed))
    }
    return json(404, openAiError("not_found", `no route ${http.method} ${path}; this server answers POST /v1/chat/completions, POST /v1/messages and GET /v1/models`))
  })
