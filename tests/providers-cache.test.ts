/**
 * The response cache (use / refresh / only) over the fake server, cache keys, and the API
 * key kept out of everything the provider layer produces: responses, errors, cache entries,
 * and every part of the request but its auth header.
 */
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Layer, Schema } from "effect"
import { canonicalJson } from "../src/audit/spec-hash.js"
import { type CacheMode, ResponseCache, withCache } from "../src/providers/cache.js"
import { ChatRequest, type ChatResponse, type ProviderError } from "../src/domain/chat.js"
import { providerHttpClientLayer } from "../src/providers/http-layer.js"
import { providerIdentity, requestKey, requestKeyText } from "../src/providers/identity.js"
import { makeCachedProvider, makeProvider, type ProviderSettings } from "../src/providers/settings.js"
import {
  API_KEY,
  ask,
  KEY_ENV,
  defaultAnswer,
  fakeServer,
  type FakeProvider,
  reply,
  settingsFor,
  withTestKey
} from "./support/fake-provider.js"

/** A cached provider over `server`, sharing `entries` as its store. */
const cached = (settings: ProviderSettings, mode: CacheMode, entries: Map<string, string>, env: "with key" | "without key" = "with key") =>
  Effect.gen(function* () {
    const context = yield* Layer.build(Layer.merge(providerHttpClientLayer, ResponseCache.memory(entries)))
    const make = makeCachedProvider(settings, mode).pipe(Effect.provide(context))
    return yield* env === "with key" ? withTestKey(make) : make
  })

describe("response cache", () => {
  it.scopedLive("use: the first call goes to the network, an equal request is answered from the cache", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer()
      const entries = new Map<string, string>()
      const p = yield* cached(settingsFor(server, "openai-compatible"), "use", entries)
      const first = yield* p.complete(ask("cache me"))
      const second = yield* p.complete(ask("cache me"))
      expect(second).toEqual(first)
      expect(server.requests).toHaveLength(1)
      expect(entries.size).toBe(1)
      yield* p.complete(ask("something else"))
      expect(server.requests).toHaveLength(2)
    })
  )

  it.scopedLive("refresh (--no-cache): always asks the network and overwrites the entry", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer({ script: (r) => reply.answer(`take ${r.attempt}`) })
      const entries = new Map<string, string>()
      const settings = settingsFor(server, "anthropic")
      const refresh = yield* cached(settings, "refresh", entries)
      yield* refresh.complete(ask("q"))
      expect((yield* refresh.complete(ask("q"))).text).toBe("take 2")
      expect(server.requests).toHaveLength(2)
      // the refreshed answer is what "use" now reads
      const use = yield* cached(settings, "use", entries)
      expect((yield* use.complete(ask("q"))).text).toBe("take 2")
      expect(server.requests).toHaveLength(2)
    })
  )

  it.scopedLive("only: a miss is CacheMiss with no request and no key needed; a hit is answered offline", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer()
      const entries = new Map<string, string>()
      const settings = settingsFor(server, "openai-compatible")
      const offline = yield* cached(settings, "only", entries, "without key")
      const miss = yield* Effect.either(offline.complete(ask("never seen")))
      expect(Either.isLeft(miss) && { reason: miss.left.reason, attempts: miss.left.attempts }).toEqual({
        reason: "CacheMiss",
        attempts: 0
      })
      expect(server.requests).toHaveLength(0)

      const online = yield* cached(settings, "use", entries)
      const answer = yield* online.complete(ask("seen once"))
      expect(yield* offline.complete(ask("seen once"))).toEqual(answer)
      expect(server.requests).toHaveLength(1)
    })
  )

  it.scopedLive("failures are not cached", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer({ script: (r) => (r.attempt === 1 ? reply.status(400) : undefined) })
      const entries = new Map<string, string>()
      const p = yield* cached(settingsFor(server, "openai-compatible"), "use", entries)
      expect(Either.isLeft(yield* Effect.either(p.complete(ask("bad then good"))))).toBe(true)
      expect(entries.size).toBe(0)
      expect((yield* p.complete(ask("bad then good"))).text).toBe(defaultAnswer("bad then good"))
    })
  )

  it.effect("an entry that no longer decodes is a miss", () =>
    Effect.gen(function* () {
      const identity = providerIdentity({ kind: "anthropic", baseUrl: "http://127.0.0.1:9", model: "m" })
      const request = ask("q")
      const entries = new Map([[requestKey(identity, request), '{"text": 3}']])
      const calls: Array<string> = []
      const inner = {
        id: "scripted",
        complete: (r: ChatRequest) => Effect.sync(() => (calls.push(r.model), { text: "fresh", model: r.model }))
      }
      const p = yield* withCache(inner, identity, "use").pipe(Effect.provide(ResponseCache.memory(entries)))
      expect((yield* p.complete(request)).text).toBe("fresh")
      expect(calls).toHaveLength(1)
    })
  )
})

describe("cache keys", () => {
  const identity = providerIdentity({ kind: "openai-compatible", baseUrl: "http://127.0.0.1:8000/v1", model: "m" })
  const base = ask("same question", "same system")

  it("are stable: a trailing slash and an omitted default temperature do not change them", () => {
    const explicit = ChatRequest.make({ ...base, temperature: 0 })
    const slashed = providerIdentity({ ...identity, baseUrl: "http://127.0.0.1:8000/v1/" })
    expect(requestKey(slashed, explicit)).toBe(requestKey(identity, base))
    expect(requestKey(identity, base)).toMatch(/^[0-9a-f]{64}$/)
  })

  it("hash the canonical JSON of the provider and the schema-encoded request", () => {
    for (const request of [base, ask("no system"), ChatRequest.make({ ...base, temperature: 0.7, maxTokens: 9 })]) {
      const generic = canonicalJson({ kind: identity.kind, baseUrl: identity.baseUrl, model: identity.model, request: Schema.encodeSync(ChatRequest)(request) })
      expect(requestKeyText(identity, request)).toBe(generic)
    }
  })

  it("change with the provider kind, base URL, model and every request field", () => {
    const variants = [
      requestKey({ ...identity, kind: "anthropic" }, base),
      requestKey({ ...identity, baseUrl: "http://127.0.0.1:8001/v1" }, base),
      requestKey({ ...identity, model: "other" }, base),
      requestKey(identity, { ...base, model: "other" }),
      requestKey(identity, { ...base, temperature: 1 }),
      requestKey(identity, { ...base, maxTokens: 65 }),
      requestKey(identity, ask("same question")),
      requestKey(identity, ask("other question", "same system"))
    ]
    expect(new Set([requestKey(identity, base), ...variants]).size).toBe(variants.length + 1)
  })
})

describe("the API key", () => {
  /** Echoes every header it received, the key included, to try to smuggle it into results. */
  const echoHeaders = (headers: unknown) => `headers were ${JSON.stringify(headers)}`

  const leaks = (server: FakeProvider, texts: ReadonlyArray<string>) => ({
    inTexts: texts.filter((text) => text.includes(API_KEY)).length,
    inBodies: server.requests.filter((r) => r.body.includes(API_KEY)).length,
    inOtherHeaders: server.requests.filter((r) =>
      Object.entries(r.headers).some(([name, value]) => name !== "authorization" && name !== "x-api-key" && String(value).includes(API_KEY))
    ).length
  })

  for (const kind of ["openai-compatible", "anthropic"] as const) {
    it.scopedLive(`${kind}: appears in no response, error message or cache entry, and only in the auth header`, () =>
      Effect.gen(function* () {
        const server = yield* fakeServer({
          apiKey: API_KEY,
          script: (r) => {
            const echo = echoHeaders(r.headers)
            switch (r.lastUser) {
              case "echo":
                return reply.answer(echo)
              case "bad":
                return reply.status(400, JSON.stringify({ error: { message: echo } }))
              case "down":
                return reply.status(500, echo)
              default:
                return reply.malformed(echo)
            }
          }
        })
        const entries = new Map<string, string>()
        const settings = settingsFor(server, kind, { maxRetries: 1 })
        const p = yield* cached(settings, "use", entries)
        const results = yield* Effect.forEach(["echo", "bad", "down", "malformed"], (q) => Effect.either(p.complete(ask(q))))
        const other = yield* cached(settings, "refresh", entries, "without key").pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([[KEY_ENV, "sk-wrong-0000000000000000000"]])))
        )
        const wrongKey = yield* Effect.either(other.complete(ask("echo")))
        const texts = [...results, wrongKey].flatMap((result: Either.Either<ChatResponse, ProviderError>) =>
          Either.isRight(result)
            ? [JSON.stringify(result.right)]
            : [result.left.message, JSON.stringify(result.left), String(result.left)]
        )
        // the echo really reached us (redacted), and the errors are the expected ones
        expect(texts[0]).toContain("headers were")
        expect(results.map((r) => (Either.isLeft(r) ? r.left.reason : "ok"))).toEqual(["ok", "BadRequest", "Server", "Malformed"])
        expect(Either.isLeft(wrongKey) && wrongKey.left.reason).toBe("Auth")
        expect(leaks(server, [...texts, ...entries.values()])).toEqual({ inTexts: 0, inBodies: 0, inOtherHeaders: 0 })
        // and it was sent, in its header, on every request made with it
        const header = kind === "anthropic" ? "x-api-key" : "authorization"
        const withKey = server.requests.filter((r) => String(r.headers[header]).includes(API_KEY))
        expect(withKey.length).toBe(server.requests.length - 1)
      })
    )
  }

  it.scopedLive("a ProviderError does not print the key even when the server names it in a header-shaped text", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer({
        script: () => reply.status(401, `Authorization: Bearer ${API_KEY} x-api-key: ${API_KEY} rejected`)
      })
      const settings = settingsFor(server, "openai-compatible")
      const http = yield* Layer.build(providerHttpClientLayer)
      const p = yield* withTestKey(makeProvider(settings)).pipe(Effect.provide(http))
      const result = yield* Effect.either(p.complete(ask("who am I")))
      expect(Either.isLeft(result) && result.left.message).toMatch(/HTTP 401: Authorization: Bearer \[redacted\] x-api-key: \[redacted\] rejected$/)
    })
  )
})
