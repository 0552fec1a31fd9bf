import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Clock, Effect, Either, ParseResult, Schema } from "effect"
import { anthropicConversation, anthropicError, type AnthropicErrorKind, anthropicMessage, anthropicModels, AnthropicRequest, anthropicStream } from "./anthropic-protocol.js"
import { answerRequest, type ServedAudit } from "./answer-request.js"
import { type Conversation, conversationText } from "./conversation.js"
import { openAiCompletion, openAiConversation, openAiError, type OpenAiErrorKind, openAiModels, OpenAiRequest, openAiStream } from "./openai-protocol.js"
import type { ProviderEntry } from "../measure/providers.js"
import type { UpstreamRequest } from "./proxy.js"
import type { Recorder } from "./recorder.js"
import { type Reply, tokenCount } from "./reply.js"

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

/** A real-model organism's answer from its upstream provider; the failure as a message (which never carries a key). */
const askUpstream = (providers: ReadonlyMap<string, ProviderEntry>, { provider, ...request }: UpstreamRequest): Effect.Effect<string, string> => {
  const entry = providers.get(provider)
  if (entry === undefined) return Effect.fail(`no provider "${provider}" in this server: is its key variable set?`)
  return entry.provider.complete({ model: entry.model, ...request }).pipe(
    Effect.map((response) => response.text),
    Effect.mapError((e) => `${e.reason}: ${e.message}`)
  )
}

/** One completion request of either protocol: decoded, answered (or proxied), recorded, encoded. */
const complete = <A, I>(protocol: Protocol<A, I>, served: ServedAudit, recorder: Recorder, providers: ReadonlyMap<string, ProviderEntry>) =>
  Effect.gen(function* () {
    const http = yield* HttpServerRequest.HttpServerRequest
    const raw = yield* Effect.either(http.json)
    if (Either.isLeft(raw)) return json(400, protocol.error(400, "the request body is not valid JSON"))
    const decoded = Schema.decodeUnknownEither(protocol.schema)(raw.right)
    if (Either.isLeft(decoded)) return json(400, protocol.error(400, `invalid request: ${describe(decoded.left)}`))
    const request = decoded.right
    const model = protocol.model(request)
    const conversation = protocol.conversation(request)
    const found = answerRequest(served, model, conversation, http.headers[HINT_HEADER])
    if (found._tag === "UnknownModel") return json(404, protocol.error(404, found.message, "model"))
    const upstream = found._tag === "ToProxy" ? yield* Effect.either(askUpstream(providers, found.upstream)) : Either.right(found.text)
    if (Either.isLeft(upstream)) return json(500, protocol.error(500, `organism ${found.organism}: upstream provider failed (${upstream.left})`))
    const text = upstream.right
    // A proxied answer records no item or intended act: the model, not evalaudit, chose it.
    const item = found._tag === "Answered" ? found.item : undefined
    yield* recorder.record({
      api: protocol.api,
      model,
      organism: found.organism,
      replicate: found.replicate,
      requestHash: found.requestHash,
      ...(item === undefined ? {} : item),
      response: text
    })
    const now = yield* Clock.currentTimeMillis
    const reply: Reply = {
      id: `${protocol.idPrefix}${found.requestHash.slice(0, 24)}`,
      model,
      text,
      created: Math.floor(now / 1000),
      promptTokens: tokenCount(conversationText(conversation)),
      completionTokens: tokenCount(text)
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
export const serveApp = (served: ServedAudit, recorder: Recorder, providers: ReadonlyMap<string, ProviderEntry> = new Map()) =>
  Effect.gen(function* () {
    const http = yield* HttpServerRequest.HttpServerRequest
    const path = http.url.replace(/\?.*$/, "").replace(/\/+$/, "")
    if (http.method === "POST" && path === "/v1/chat/completions") return yield* complete(openAi, served, recorder, providers)
    if (http.method === "POST" && path === "/v1/messages") return yield* complete(anthropic, served, recorder, providers)
    if (http.method === "GET" && path === "/v1/models") {
      return json(200, http.headers["anthropic-version"] === undefined ? openAiModels(served.listed) : anthropicModels(served.listed))
    }
    return json(404, openAiError("not_found", `no route ${http.method} ${path}; this server answers POST /v1/chat/completions, POST /v1/messages and GET /v1/models`))
  })
