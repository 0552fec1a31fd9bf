/**
 * A fake model provider: a real node:http server on 127.0.0.1 speaking both wire formats
 * (OpenAI chat completions at `.../chat/completions`, Anthropic messages at `.../v1/messages`),
 * with scripted replies and faults, for tests and the provider bench.
 *
 * Everything is deterministic: the default answer is a function of the last user message,
 * and injected faults are chosen by a hash of the request body and how many times the server
 * has seen that body (`attempt`), never by Math.random. Every request is recorded, headers
 * included, and the server tracks how many requests were in flight at once.
 */
import { Clock, ConfigProvider, Effect, type Scope, TestClock } from "effect"
import { createHash } from "node:crypto"
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http"
import { ChatRequest } from "../../src/domain/chat.js"
import { ProviderSettings } from "../../src/providers/settings.js"

export type FakeWire = "openai-compatible" | "anthropic"

/** Faults the injector picks from when `faultRate` > 0. */
export type InjectedFault = "server-error" | "rate-limited" | "drop-before-response" | "drop-mid-body"

export interface RecordedRequest {
  /** 1-based arrival order. */
  readonly seq: number
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
  readonly wire: FakeWire | undefined
  /** How many times the server has now seen this exact body (1 on the first try). */
  readonly attempt: number
  readonly model: string
  readonly system: string | undefined
  readonly lastUser: string
  /** The fault injected into this request's reply, if any. */
  readonly fault: InjectedFault | undefined
}

export type FakeReply =
  | { readonly _tag: "Answer"; readonly text?: string; readonly latencyMs?: number }
  | {
      readonly _tag: "Status"
      readonly status: number
      readonly body?: string
      readonly headers?: Readonly<Record<string, string>>
      readonly latencyMs?: number
    }
  /** Destroys the socket before any byte of the response, or after half of a 200 body. */
  | { readonly _tag: "Drop"; readonly phase: "before-response" | "mid-body" }
  /** Sends half the body, pauses, then the rest. */
  | { readonly _tag: "SlowBody"; readonly pauseMs: number }
  /** A 200 whose body is not valid JSON (or not the wire format). */
  | { readonly _tag: "Malformed"; readonly body?: string }
  /** Never answers; the client has to give up. */
  | { readonly _tag: "Hang" }

export const reply = {
  answer: (text?: string, latencyMs?: number): FakeReply => ({
    _tag: "Answer",
    ...(text === undefined ? {} : { text }),
    ...(latencyMs === undefined ? {} : { latencyMs })
  }),
  status: (status: number, body?: string, headers?: Readonly<Record<string, string>>): FakeReply => ({
    _tag: "Status",
    status,
    ...(body === undefined ? {} : { body }),
    ...(headers === undefined ? {} : { headers })
  }),
  rateLimited: (retryAfter: string): FakeReply => ({
    _tag: "Status",
    status: 429,
    body: JSON.stringify({ error: { message: "rate limited" } }),
    headers: { "retry-after": retryAfter }
  }),
  serverError: (status = 500): FakeReply => ({
    _tag: "Status",
    status,
    body: JSON.stringify({ error: { message: "internal error" } })
  }),
  drop: (phase: "before-response" | "mid-body"): FakeReply => ({ _tag: "Drop", phase }),
  slowBody: (pauseMs: number): FakeReply => ({ _tag: "SlowBody", pauseMs }),
  malformed: (body?: string): FakeReply => ({ _tag: "Malformed", ...(body === undefined ? {} : { body }) }),
  hang: (): FakeReply => ({ _tag: "Hang" })
}

export interface FakeProviderOptions {
  /** Chooses the reply; `undefined` means the default answer. Runs after fault injection. */
  readonly script?: (request: RecordedRequest) => FakeReply | undefined
  /** Added before every reply. */
  readonly latencyMs?: number
  /** Fraction of requests (by hash of body and attempt) that get an injected fault. */
  readonly faultRate?: number
  /** When set, requests must carry it in their wire format's auth header, or get a 401. */
  readonly apiKey?: string
}

export interface FakeProvider {
  /** `http://127.0.0.1:<port>`: use it as the base URL of either wire format. */
  readonly url: string
  readonly requests: ReadonlyArray<RecordedRequest>
  readonly maxInFlight: () => number
  /** TCP connections accepted so far (few, when clients keep connections alive). */
  readonly connections: () => number
  readonly close: () => Promise<void>
}

/** The default answer to a last user message. */
export const defaultAnswer = (lastUser: string): string => `answer to: ${lastUser}`

const tokens = (text: string): number => Math.ceil(text.length / 4)

/** A uniform number in [0, 1) from the hex digest of `text`, starting at hex digit `at`. */
const unit = (text: string, at: number): number =>
  Number.parseInt(createHash("sha256").update(text).digest("hex").slice(at, at + 8), 16) / 2 ** 32

const FAULTS: ReadonlyArray<InjectedFault> = ["server-error", "rate-limited", "drop-before-response", "drop-mid-body"]

export const injectedFault = (body: string, attempt: number, rate: number): InjectedFault | undefined => {
  const key = `${body}\u0000${attempt}`
  if (unit(key, 0) >= rate) return undefined
  return FAULTS[Math.floor(unit(key, 8) * FAULTS.length)]
}

const faultReply = (fault: InjectedFault): FakeReply => {
  switch (fault) {
    case "server-error":
      return reply.serverError()
    case "rate-limited":
      return reply.rateLimited("0")
    case "drop-before-response":
      return reply.drop("before-response")
    case "drop-mid-body":
      return reply.drop("mid-body")
  }
}

interface ParsedBody {
  readonly model: string
  readonly system: string | undefined
  readonly lastUser: string
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

/** The fields the fake needs from either wire format's request body. */
const parseBody = (body: string): ParsedBody | undefined => {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return undefined
  }
  if (!isRecord(json) || !Array.isArray(json.messages)) return undefined
  let lastUser = ""
  let system = typeof json.system === "string" ? json.system : undefined
  for (const message of json.messages) {
    if (!isRecord(message) || typeof message.content !== "string") continue
    if (message.role === "user") lastUser = message.content
    if (message.role === "system") system = message.content
  }
  return { model: typeof json.model === "string" ? json.model : "", system, lastUser }
}

const wireOf = (path: string): FakeWire | undefined =>
  path.endsWith("/chat/completions") ? "openai-compatible" : path.endsWith("/v1/messages") ? "anthropic" : undefined

const answerBody = (wire: FakeWire, request: RecordedRequest, text: string): string => {
  const usageIn = tokens(`${request.system ?? ""}${request.lastUser}`)
  return wire === "anthropic"
    ? JSON.stringify({
        id: `msg_${request.seq}`,
        type: "message",
        role: "assistant",
        model: request.model,
        content: [{ type: "text", text }],
        stop_reason: "end_turn",
        usage: { input_tokens: usageIn, output_tokens: tokens(text) }
      })
    : JSON.stringify({
        id: `chatcmpl-${request.seq}`,
        object: "chat.completion",
        model: request.model,
        choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
        usage: { prompt_tokens: usageIn, completion_tokens: tokens(text), total_tokens: usageIn + tokens(text) }
      })
}

const authorized = (wire: FakeWire, headers: IncomingHttpHeaders, apiKey: string | undefined): boolean => {
  if (apiKey === undefined) return true
  return wire === "anthropic" ? headers["x-api-key"] === apiKey : headers.authorization === `Bearer ${apiKey}`
}

export const start = (options: FakeProviderOptions = {}): Promise<FakeProvider> => {
  const requests: Array<RecordedRequest> = []
  const seen = new Map<string, number>()
  const timers = new Set<NodeJS.Timeout>()
  let inFlight = 0
  let maxInFlight = 0
  let connections = 0

  const later = (ms: number, f: () => void): void => {
    if (ms <= 0) return f()
    const timer = setTimeout(() => {
      timers.delete(timer)
      f()
    }, ms)
    timers.add(timer)
  }

  const sendJson = (res: ServerResponse, status: number, body: string, headers: Readonly<Record<string, string>> = {}) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers })
    res.end(body)
  }

  const send = (res: ServerResponse, wire: FakeWire, request: RecordedRequest, answer: FakeReply): void => {
    switch (answer._tag) {
      case "Answer":
        return later(answer.latencyMs ?? 0, () =>
          sendJson(res, 200, answerBody(wire, request, answer.text ?? defaultAnswer(request.lastUser)))
        )
      case "Status":
        return later(answer.latencyMs ?? 0, () => sendJson(res, answer.status, answer.body ?? "", answer.headers))
      case "Malformed":
        return sendJson(res, 200, answer.body ?? '{"choices": [ {"message": ')
      case "Hang":
        return
      case "Drop":
      case "SlowBody": {
        const body = Buffer.from(answerBody(wire, request, defaultAnswer(request.lastUser)))
        const half = Math.floor(body.length / 2)
        if (answer._tag === "Drop" && answer.phase === "before-response") {
          res.socket?.destroy()
          return
        }
        res.writeHead(200, { "content-type": "application/json", "content-length": body.length })
        res.write(body.subarray(0, half))
        if (answer._tag === "Drop") return later(5, () => res.socket?.destroy())
        return later(answer.pauseMs, () => res.end(body.subarray(half)))
      }
    }
  }

  const server = createServer((req, res) => {
    inFlight += 1
    maxInFlight = Math.max(maxInFlight, inFlight)
    res.on("close", () => {
      inFlight -= 1
    })
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8")
      const path = req.url ?? "/"
      const wire = wireOf(path)
      const attempt = (seen.get(body) ?? 0) + 1
      seen.set(body, attempt)
      const parsed = parseBody(body)
      const fault = options.faultRate === undefined ? undefined : injectedFault(body, attempt, options.faultRate)
      const request: RecordedRequest = {
        seq: requests.length + 1,
        method: req.method ?? "",
        path,
        headers: req.headers,
        body,
        wire,
        attempt,
        model: parsed?.model ?? "",
        system: parsed?.system,
        lastUser: parsed?.lastUser ?? "",
        fault
      }
      requests.push(request)
      later(options.latencyMs ?? 0, () => {
        if (req.method !== "POST" || wire === undefined) return sendJson(res, 404, '{"error":{"message":"not found"}}')
        if (!authorized(wire, req.headers, options.apiKey)) {
          return sendJson(res, 401, '{"error":{"message":"invalid credentials"}}')
        }
        if (wire === "anthropic" && req.headers["anthropic-version"] !== "2023-06-01") {
          return sendJson(res, 400, '{"error":{"message":"anthropic-version header missing"}}')
        }
        if (parsed === undefined) return sendJson(res, 400, '{"error":{"message":"body is not a chat request"}}')
        const answer = fault === undefined ? (options.script?.(request) ?? reply.answer()) : faultReply(fault)
        send(res, wire, request, answer)
      })
    })
  })

  server.on("connection", () => {
    connections += 1
  })

  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      if (address === null || typeof address === "string") return reject(new Error("fake provider has no TCP address"))
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        requests,
        maxInFlight: () => maxInFlight,
        connections: () => connections,
        close: () =>
          new Promise<void>((done) => {
            for (const timer of timers) clearTimeout(timer)
            timers.clear()
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
}

// ---------------------------------------------------------------------------------------
// Effect helpers for the provider tests: a scoped server, settings, keys and waits.

/** Looks like a real key, so pattern-based redaction is exercised too. */
export const API_KEY = "sk-test-0123456789abcdefSECRET"
export const KEY_ENV = "EVALAUDIT_TEST_PROVIDER_KEY"

export const withTestKey = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withConfigProvider(effect, ConfigProvider.fromMap(new Map([[KEY_ENV, API_KEY]])))

/** A fake provider for the test's scope. */
export const fakeServer = (options: FakeProviderOptions = {}): Effect.Effect<FakeProvider, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() => start(options)),
    (server) => Effect.promise(() => server.close())
  )

type Overrides = Partial<Omit<ProviderSettings, "kind" | "baseUrl" | "model">>

/** Settings for `server` with fast retries unless overridden. */
export const settingsFor = (
  server: Pick<FakeProvider, "url">,
  kind: ProviderSettings["kind"],
  overrides: Overrides = {}
): ProviderSettings =>
  ProviderSettings.make({
    kind,
    baseUrl: kind === "openai-compatible" ? `${server.url}/v1` : server.url,
    model: "fake-model",
    apiKeyEnv: KEY_ENV,
    initialBackoffMs: 1,
    maxBackoffMs: 5,
    ...overrides
  })

export const ask = (question: string, system?: string): ChatRequest =>
  ChatRequest.make({
    model: "fake-model",
    messages: [{ role: "user", content: question }],
    maxTokens: 64,
    ...(system === undefined ? {} : { system })
  })

/** Waits in real time (the test clock does not move it), for I/O to happen. */
export const realPause = (ms: number): Effect.Effect<void> =>
  Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, ms)))

/** Polls in real time until `condition` holds; fails the test after `tries`. */
export const eventually = (condition: () => boolean, what: string, tries = 2000): Effect.Effect<void> =>
  Effect.gen(function* () {
    for (let i = 0; i < tries; i++) {
      if (condition()) return
      yield* realPause(5)
    }
    return yield* Effect.dieMessage(`timed out waiting for ${what}`)
  })

/**
 * Milliseconds from now to the earliest pending TestClock sleep shorter than `horizonMs`,
 * polling until one is registered. Sleeps of interrupted timeouts linger in the test clock's
 * list, so tests give timeouts a long duration and look below it.
 */
export const nextSleep = (horizonMs = 1e8, tries = 2000): Effect.Effect<number> =>
  Effect.gen(function* () {
    for (let i = 0; i < tries; i++) {
      const now = yield* Clock.currentTimeMillis
      const pending = [...(yield* TestClock.sleeps())].filter((at) => at > now && at - now < horizonMs)
      if (pending.length > 0) return Math.min(...pending) - now
      yield* realPause(2)
    }
    return yield* Effect.dieMessage("no sleep was registered")
  })
