/**
 * One HTTP attempt against a chat endpoint, for any wire format. Every failure becomes a
 * `ProviderError` with `attempts: 1` (the resilience layer counts and retries); nothing the
 * server sends can raise a defect. The API key is unwrapped only to build the auth headers.
 */
import { HttpClient, HttpClientRequest, type HttpClientError } from "@effect/platform"
import { Clock, Effect, Option, ParseResult, Redacted } from "effect"
import { type ChatProvider, type ChatRequest, type ChatResponse, ProviderError, type ProviderErrorReason } from "../domain/chat.js"
import { type ProviderIdentity, type ProviderKind, providerId } from "./identity.js"
import { redactSecrets, stripSecrets } from "./redact.js"
import { retryAfterMs } from "./retry-after.js"

/** How one API spells a chat completion on the wire. */
export interface WireFormat {
  readonly kind: ProviderKind
  /** Appended to the base URL. */
  readonly path: string
  /** Fixed headers every request carries (an API version, say). */
  readonly headers: Readonly<Record<string, string>>
  /** The headers that carry the key: the only place it is unwrapped. */
  readonly authHeaders: (apiKey: Redacted.Redacted<string>) => Readonly<Record<string, string>>
  readonly encode: (request: ChatRequest) => unknown
  /** Decodes a 2xx body; `request` supplies the model when the server does not echo it. */
  readonly decode: (body: unknown, request: ChatRequest) => Effect.Effect<ChatResponse, ParseResult.ParseError>
}

/** Longest piece of an error body quoted in a message. */
const SNIPPET = 300

const reasonOfStatus = (status: number): ProviderErrorReason =>
  status === 429
    ? "RateLimited"
    : status === 408
      ? "Timeout"
      : status === 401 || status === 403
        ? "Auth"
        : status >= 500
          ? "Server"
          : "BadRequest"

/** The server's own explanation, if the body is the usual `{ error: { message } }` JSON. */
const errorDetail = (text: string): string => {
  try {
    const body: unknown = JSON.parse(text)
    if (typeof body === "object" && body !== null && "error" in body) {
      const error: unknown = body.error
      if (typeof error === "string") return error.slice(0, SNIPPET)
      if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
        return error.message.slice(0, SNIPPET)
      }
    }
  } catch {
    // not JSON: quote the raw text below
  }
  return text.slice(0, SNIPPET)
}

/** A parse error on one line: `path: problem; path: problem`. */
const schemaIssues = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `${issue.path.length === 0 ? "body" : issue.path.join(".")}: ${issue.message}`)
    .join("; ")
    .slice(0, SNIPPET)

const causeText = (error: HttpClientError.HttpClientError): string =>
  error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message

/** A single-attempt provider speaking `wire` to `identity.baseUrl`. */
export const makeHttpProvider = (
  wire: WireFormat,
  identity: ProviderIdentity,
  apiKey: Option.Option<Redacted.Redacted<string>>
): Effect.Effect<ChatProvider, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    // No trace headers: they are no business of a third-party API. No client spans either:
    // evalaudit installs no tracer, and a span per call cost about a fifth of the client's
    // CPU in bench/provider.ts.
    const base = yield* HttpClient.HttpClient
    const client = HttpClient.withTracerDisabledWhen(HttpClient.withTracerPropagation(base, false), () => true)
    const id = providerId(identity)
    const url = `${identity.baseUrl}${wire.path}`
    const secrets = Option.toArray(apiKey)
    const headers = { ...wire.headers, ...Option.match(apiKey, { onNone: () => ({}), onSome: wire.authHeaders }) }

    const fail = (reason: ProviderErrorReason, detail: string, extra: { status?: number; retryAfterMs?: number } = {}) =>
      new ProviderError({ reason, attempts: 1, ...extra, message: redactSecrets(`${id}: ${detail}`, secrets) })

    const complete = (request: ChatRequest): Effect.Effect<ChatResponse, ProviderError> =>
      Effect.gen(function* () {
        const httpRequest = HttpClientRequest.post(url).pipe(
          HttpClientRequest.setHeaders(headers),
          HttpClientRequest.bodyUnsafeJson(wire.encode(request))
        )
        const response = yield* client
          .execute(httpRequest)
          .pipe(
            Effect.mapError((error) =>
              error._tag === "RequestError" && error.reason !== "Transport"
                ? fail("BadRequest", `request could not be sent: ${causeText(error)}`)
                : fail("Network", causeText(error))
            )
          )
        const text = yield* response.text.pipe(
          Effect.mapError((error) => fail("Network", `connection lost while reading the response: ${causeText(error)}`))
        )
        const status = response.status
        if (status < 200 || status >= 300) {
          const wait = retryAfterMs(response.headers, yield* Clock.currentTimeMillis)
          return yield* fail(reasonOfStatus(status), `HTTP ${status}: ${errorDetail(text)}`, {
            status,
            ...(wait === undefined ? {} : { retryAfterMs: wait })
          })
        }
        const json = yield* Effect.try({
          try: (): unknown => JSON.parse(text),
          catch: () => fail("Malformed", `HTTP ${status} body is not JSON: ${text.slice(0, SNIPPET)}`, { status })
        })
        const decoded = yield* wire.decode(json, request).pipe(
          Effect.mapError((error) =>
            fail("Malformed", `HTTP ${status} body is not a valid ${wire.kind} response: ${schemaIssues(error)}`, { status })
          )
        )
        // a server echoing the key back must not smuggle it into results or the cache
        return { ...decoded, text: stripSecrets(decoded.text, secrets) }
      })

    return { id, complete }
  })
