/**
 * HTTP providers against the fake server (a real node:http server on 127.0.0.1): both wire
 * formats, retries of every transient failure, no retries of permanent ones, limits under
 * injected faults, cache modes, and the API key kept out of everything but its header.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Fiber, Layer, TestClock } from "effect"
import { type ChatProvider, type ChatRequest, type ChatResponse, ProviderError } from "../src/domain/chat.js"
import { providerHttpClientLayer } from "../src/providers/http-layer.js"
import { makeProvider, type ProviderSettings } from "../src/providers/settings.js"
import {
  API_KEY,
  ask,
  defaultAnswer,
  eventually,
  fakeServer,
  type FakeProvider,
  nextSleep,
  realPause,
  reply,
  settingsFor,
  withTestKey
} from "./support/fake-provider.js"

/** The provider, its HTTP client (keep-alive agent) living as long as the test's scope. */
const provider = (settings: ProviderSettings, env: "with key" | "without key" = "with key") =>
  Effect.gen(function* () {
    const http = yield* Layer.build(providerHttpClientLayer)
    const make = makeProvider(settings).pipe(Effect.provide(http))
    return yield* env === "with key" ? withTestKey(make) : make
  })

/** The request's outcome, failure or success, as a value. */
const attempt = (p: ChatProvider, request: ChatRequest) => Effect.either(p.complete(request))

const failure = (result: Either.Either<ChatResponse, ProviderError>): ProviderError => {
  if (Either.isRight(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.right)}`)
  return result.left
}

const attemptsSeen = (server: FakeProvider) => server.requests.map((r) => r.attempt)

describe("providers over HTTP", () => {
  describe("wire formats", () => {
    it.scopedLive("OpenAI-compatible: POST {baseUrl}/chat/completions, Bearer key, system as first message", () =>
      Effect.gen(function* () {
        const server = yield* fakeServer({ apiKey: API_KEY })
        const p = yield* provider(settingsFor(server, "openai-compatible"))
        const response = yield* p.complete(ask("What is 2+2?", "Be brief."))
        expect(response).toEqual({ text: defaultAnswer("What is 2+2?"), model: "fake-model", inputTokens: 6, outputTokens: 6 })
        const [sent] = server.requests
        expect(sent?.path).toBe("/v1/chat/completions")
        expect(sent?.headers.authorization).toBe(`Bearer ${API_KEY}`)
        expect(sent?.headers["x-api-key"]).toBeUndefined()
        expect(JSON.parse(sent?.body ?? "")).toEqual({
          model: "fake-model",
          messages: [
            { role: "system", content: "Be brief." },
            { role: "user", content: "What is 2+2?" }
          ],
          max_tokens: 64,
          temperature: 0
        })
      })
    )

    it.scopedLive("Anthropic: POST {baseUrl}/v1/messages, x-api-key, anthropic-version, top-level system", () =>
      Effect.gen(function* () {
        const server = yield* fakeServer({ apiKey: API_KEY })
        const p = yield* provider(settingsFor(server, "anthropic"))
        const response = yield* p.complete(ask("Name a prime.", "Be brief."))
        expect(response).toEqual({ text: defaultAnswer("Name a prime."), model: "fake-model", inputTokens: 6, outputTokens: 6 })
        const [sent] = server.requests
        expect(sent?.path).toBe("/v1/messages")
        expect(sent?.headers["x-api-key"]).toBe(API_KEY)
        expect(sent?.headers["anthropic-version"]).toBe("2023-06-01")
        expect(sent?.headers.authorization).toBeUndefined()
        expect(JSON.parse(sent?.body ?? "")).toEqual({
          model: "fake-model",
          system: "Be brief.",
          messages: [{ role: "user", content: "Name a prime." }],
          max_tokens: 64,
          temperature: 0
        })
      })
    )

    it.scopedLive("a provider without apiKeyEnv sends no credential (local servers)", () =>
      Effect.gen(function* () {
        const server = yield* fakeServer()
        const { apiKeyEnv: _, ...keyless } = settingsFor(server, "openai-compatible")
        const p = yield* provider(keyless, "without key")
        yield* p.complete(ask("hi"))
        expect(server.requests[0]?.headers.authorization).toBeUndefined()
      })
    )

    it.scopedLive("a missing key variable is a ConfigError naming it, before any request", () =>
      Effect.gen(function* () {
        const server = yield* fakeServer()
        const result = yield* Effect.either(provider(settingsFor(server, "anthropic", { apiKeyEnv: "EVALAUDIT_NO_SUCH_KEY" })))
        expect(Either.isLeft(result) && String(result.left)).toContain("EVALAUDIT_NO_SUCH_KEY")
        expect(server.requests).toHaveLength(0)
      })
    )
  })

  describe("retries", () => {
    // The test clock shows the wait the client chose: it sleeps until the server's
    // retry-after, and the server sees no second request before that instant.
    for (const [retryAfter, waitMs] of [
      ["1", 1000],
      ["Thu, 01 Jan 1970 00:00:03 GMT", 3000]
    ] as const) {
      it.scoped(`429 with retry-after: ${retryAfter} waits ${waitMs} ms, then retries once`, () =>
        Effect.gen(function* () {
          const server = yield* fakeServer({
            script: (r) => (r.attempt === 1 ? reply.rateLimited(retryAfter) : undefined)
          })
          const p = yield* provider(settingsFor(server, "openai-compatible", { initialBackoffMs: 100, timeoutMs: 1e9 }))
          const fiber = yield* Effect.fork(p.complete(ask("limited")))
          expect(yield* nextSleep()).toBe(waitMs)
          yield* TestClock.adjust(waitMs - 1)
          yield* realPause(30)
          expect(server.requests).toHaveLength(1)
          yield* TestClock.adjust(1)
          const response = yield* Fiber.join(fiber)
          expect(response.text).toBe(defaultAnswer("limited"))
          expect(attemptsSeen(server)).toEqual([1, 2])
        })
      )
    }

    it.scopedLive("500 is retried until it succeeds", () =>
      Effect.gen(function* () {
        const server = yield* fakeServer({ script: (r) => (r.attempt <= 2 ? reply.serverError() : undefined) })
        const p = yield* provider(settingsFor(server, "anthropic"))
        expect((yield* p.complete(ask("flaky"))).text).toBe(defaultAnswer("flaky"))
        expect(attemptsSeen(server)).toEqual([1, 2, 3])
      })
    )

    it.scopedLive("a 500 that never clears fails as Server with every attempt counted", () =>
      Effect.gen(function* () {
        const server = yield* fakeServer({ script: () => reply.serverError(503) })
        const p = yield* provider(settingsFor(server, "openai-compatible", { maxRetries: 2 }))
        const error = failure(yield* attempt(p, ask("down")))
        expect({ reason: error.reason, status: error.status, attempts: error.attempts }).toEqual({
          reason: "Server",
          status: 503,
          attempts: 3
        })
        expect(error.message).toContain("gave up after 3 attempts")
        expect(server.requests).toHaveLength(3)
      })
    )

    for (const phase of ["before-response", "mid-body"] as const) {
      it.scopedLive(`a connection dropped ${phase} is retried`, () =>
        Effect.gen(function* () {
          const server = yield* fakeServer({ script: (r) => (r.attempt === 1 ? reply.drop(phase) : undefined) })
          const p = yield* provider(settingsFor(server, "openai-compatible"))
          expect((yield* p.complete(ask(`dropped ${phase}`))).text).toBe(defaultAnswer(`dropped ${phase}`))
          expect(attemptsSeen(server)).toEqual([1, 2])
        })
      )
    }

    it.scopedLive("a connection that keeps dropping fails as Network", () =>
      Effect.gen(function* () {
        const server = yield* fakeServer({ script: () => reply.drop("mid-body") })
        const p = yield* provider(settingsFor(server, "anthropic", { maxRetries: 1 }))
        const error = failure(yield* attempt(p, ask("gone")))
        expect([error.reason, error.attempts]).toEqual(["Network", 2])
      })
    )

    // Decision: a 2xx in the wrong format is not retried (a wrong kind or base URL, or a
    // server that cannot speak the format, answers the same way every time).
    for (const [label, body] of [
      ["invalid JSON", '{"choices": [ {"message": '],
      ["JSON of the wrong shape", '{"choices": []}'],
      ["an HTML page", "<html>proxy login</html>"]
    ] as const) {
      it.scopedLive(`a 200 with ${label} is Malformed after one attempt`, () =>
        Effect.gen(function* () {
          const server = yield* fakeServer({ script: () => reply.malformed(body) })
          const p = yield* provider(settingsFor(server, "openai-compatible"))
          const error = failure(yield* attempt(p, ask("malformed")))
          expect({ reason: error.reason, status: error.status, attempts: error.attempts }).toEqual({
            reason: "Malformed",
            status: 200,
            attempts: 1
          })
          expect(server.requests).toHaveLength(1)
        })
      )
    }

    it.scopedLive("an anthropic body without content blocks is Malformed, not a defect", () =>
      Effect.gen(function* () {
        const server = yield* fakeServer({ script: () => reply.malformed('{"type":"message","usage":{"input_tokens":-1}}') })
        const p = yield* provider(settingsFor(server, "anthropic"))
        expect(failure(yield* attempt(p, ask("x"))).reason).toBe("Malformed")
      })
    )

    for (const [label, answer] of [
      ["no response", reply.hang()],
      ["a body that stalls", reply.slowBody(60_000)]
    ] as const) {
      it.scoped(`${label} times out per attempt, is retried, and fails as Timeout`, () =>
        Effect.gen(function* () {
          const server = yield* fakeServer({ script: () => answer })
          const p = yield* provider(settingsFor(server, "openai-compatible", { timeoutMs: 5000, maxRetries: 1, initialBackoffMs: 100 }))
          const fiber = yield* Effect.fork(attempt(p, ask("slow")))
          yield* eventually(() => server.requests.length === 1, "the first attempt")
          yield* TestClock.adjust(5000)
          const backoff = yield* nextSleep(1000)
          yield* TestClock.adjust(backoff)
          yield* eventually(() => server.requests.length === 2, "the retry")
          yield* nextSleep()
          yield* TestClock.adjust(5000)
          const error = failure(yield* Fiber.join(fiber))
          expect([error.reason, error.attempts]).toEqual(["Timeout", 2])
          expect(error.message).toContain("within 5000 ms")
        })
      )
    }

    for (const [status, reason] of [
      [400, "BadRequest"],
      [404, "BadRequest"],
      [422, "BadRequest"],
      [401, "Auth"],
      [403, "Auth"]
    ] as const) {
      it.scopedLive(`${status} is ${reason} and not retried`, () =>
        Effect.gen(function* () {
          const server = yield* fakeServer({
            script: () => reply.status(status, JSON.stringify({ error: { message: "model not found" } }))
          })
          const p = yield* provider(settingsFor(server, "anthropic"))
          const error = failure(yield* attempt(p, ask("bad")))
          expect({ reason: error.reason, status: error.status, attempts: error.attempts }).toEqual({ reason, status, attempts: 1 })
          expect(error.message).toContain("model not found")
          expect(server.requests).toHaveLength(1)
        })
      )
    }

    it.scopedLive("408 is a Timeout and is retried", () =>
      Effect.gen(function* () {
        const server = yield* fakeServer({ script: (r) => (r.attempt === 1 ? reply.status(408) : undefined) })
        const p = yield* provider(settingsFor(server, "openai-compatible"))
        yield* p.complete(ask("408"))
        expect(attemptsSeen(server)).toEqual([1, 2])
      })
    )

    it.scopedLive("a refused connection is Network, retried, and reported with its attempts", () =>
      Effect.gen(function* () {
        const server = yield* fakeServer()
        const settings = settingsFor(server, "openai-compatible", { maxRetries: 2 })
        yield* Effect.promise(() => server.close())
        const error = failure(yield* attempt(yield* provider(settings), ask("nobody home")))
        expect([error.reason, error.attempts]).toEqual(["Network", 3])
      })
    )
  })

  describe("under load", () => {
    it.scopedLive("with 20% injected faults, 200 requests all finish; every fault was retried or reported", () =>
      Effect.gen(function* () {
        const server = yield* fakeServer({ faultRate: 0.2, latencyMs: 2 })
        const p = yield* provider(settingsFor(server, "openai-compatible", { concurrency: 8, maxRetries: 6 }))
        const questions = Array.from({ length: 200 }, (_, i) => `question ${i}`)
        const results = yield* Effect.forEach(questions, (q) => attempt(p, ask(q)), { concurrency: "unbounded" })

        const faults = server.requests.filter((r) => r.fault !== undefined).length
        expect(faults).toBeGreaterThan(20) // the injector really fired (about 20% of ~250)
        expect(server.maxInFlight()).toBeLessThanOrEqual(8)
        expect(server.maxInFlight()).toBeGreaterThan(1)

        const problems: Array<string> = []
        questions.forEach((q, i) => {
          const seen = server.requests.filter((r) => r.lastUser === q).sort((a, b) => a.attempt - b.attempt)
          const last = seen[seen.length - 1]
          const earlier = seen.slice(0, -1)
          const result = results[i]
          if (result === undefined || last === undefined) return void problems.push(`${q}: never sent`)
          // every attempt but the last failed, so each fault was followed by a retry ...
          if (earlier.some((r) => r.fault === undefined)) problems.push(`${q}: retried a success`)
          if (Either.isRight(result)) {
            if (last.fault !== undefined) problems.push(`${q}: succeeded on a faulty reply`)
            if (result.right.text !== defaultAnswer(q)) problems.push(`${q}: wrong answer`)
          } else if (last.fault === undefined || result.left.attempts !== seen.length) {
            // ... or the failure was reported with every attempt counted
            problems.push(`${q}: failed as ${result.left.reason} after ${result.left.attempts} of ${seen.length}`)
          }
        })
        expect(problems).toEqual([])
      })
    )

    it.scopedLive("the concurrency limit holds: the server never sees more than 3 requests at once", () =>
      Effect.gen(function* () {
        const server = yield* fakeServer({ latencyMs: 10 })
        const p = yield* provider(settingsFor(server, "anthropic", { concurrency: 3 }))
        yield* Effect.forEach(
          Array.from({ length: 30 }, (_, i) => ask(`parallel ${i}`)),
          (r) => p.complete(r),
          { concurrency: "unbounded" }
        )
        expect(server.requests).toHaveLength(30)
        expect(server.maxInFlight()).toBe(3)
      })
    )
  })
})
