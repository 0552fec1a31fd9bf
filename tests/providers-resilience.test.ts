/**
 * The resilience layer on its own, with a scripted in-memory provider and the test clock:
 * exact waits (backoff with seeded jitter, retry-after), timeouts, which reasons are retried,
 * the concurrency limit, and the request and token buckets. Plus the pure helpers it uses.
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Either, Fiber, Redacted, Ref, TestClock } from "effect"
import { type ChatProvider, type ChatRequest, type ChatResponse, ProviderError, type ProviderErrorReason } from "../src/domain/chat.js"
import { redactSecrets, stripSecrets } from "../src/providers/redact.js"
import { backoffMs, type ResilienceOptions, withResilience } from "../src/providers/resilience.js"
import { retryAfterMs } from "../src/providers/retry-after.js"
import { ask, nextSleep } from "./support/fake-provider.js"

/** Long timeouts keep their lingering test-clock sleeps out of `nextSleep`'s view. */
const options = (overrides: Partial<ResilienceOptions> = {}): ResilienceOptions => ({
  concurrency: 8,
  timeoutMs: 1e9,
  maxRetries: 6,
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  ...overrides
})

const keyOf = (request: ChatRequest) => request.messages.map((m) => m.content).join("|")

type Step = ChatResponse | ProviderErrorReason | "hang" | { readonly retryAfterMs: number }

/** A provider that answers its n-th call with `steps[n]` (the last step repeats) and logs call times. */
const scripted = (steps: ReadonlyArray<Step>, work: number = 0) =>
  Effect.gen(function* () {
    const calls = yield* Ref.make<ReadonlyArray<number>>([])
    const inFlight = yield* Ref.make(0)
    const maxInFlight = yield* Ref.make(0)
    const provider: ChatProvider = {
      id: "scripted",
      complete: (request) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const n = (yield* Ref.getAndUpdate(calls, (c) => [...c, now])).length
          const current = yield* Ref.updateAndGet(inFlight, (k) => k + 1)
          yield* Ref.update(maxInFlight, (k) => Math.max(k, current))
          if (work > 0) yield* Effect.sleep(work)
          yield* Ref.update(inFlight, (k) => k - 1)
          const step = steps[Math.min(n, steps.length - 1)] ?? "Server"
          if (step === "hang") return yield* Effect.never
          if (typeof step === "string") return yield* new ProviderError({ reason: step, attempts: 1, message: `scripted ${step}` })
          if ("retryAfterMs" in step) {
            return yield* new ProviderError({ reason: "RateLimited", status: 429, attempts: 1, retryAfterMs: step.retryAfterMs, message: "429" })
          }
          return { ...step, model: request.model }
        })
    }
    return { provider, calls: Ref.get(calls), maxInFlight: Ref.get(maxInFlight) }
  })

const ok = (text = "ok", usage: { inputTokens?: number; outputTokens?: number } = {}): ChatResponse => ({
  text,
  model: "m",
  ...usage
})

describe("retries and backoff", () => {
  it.effect("waits the jittered exponential backoff between attempts, exactly", () =>
    Effect.gen(function* () {
      const script = yield* scripted(["Server", "Network", "Timeout", ok()])
      const opts = options()
      const p = yield* withResilience(script.provider, opts, keyOf)
      const request = ask("backoff")
      const fiber = yield* Effect.fork(p.complete(request))
      const waits: Array<number> = []
      for (let attempt = 1; attempt <= 3; attempt++) {
        const wait = yield* nextSleep()
        waits.push(wait)
        yield* TestClock.adjust(wait)
      }
      expect((yield* Fiber.join(fiber)).text).toBe("ok")
      expect(waits).toEqual([1, 2, 3].map((n) => backoffMs(opts, keyOf(request), n)))
      // equal jitter: each wait lies in [base / 2, base] for base 500, 1000, 2000
      waits.forEach((wait, i) => {
        const base = 500 * 2 ** i
        expect(wait).toBeGreaterThanOrEqual(base / 2)
        expect(wait).toBeLessThanOrEqual(base)
      })
      expect(yield* script.calls).toEqual([0, waits[0], (waits[0] ?? 0) + (waits[1] ?? 0), waits.reduce((a, b) => a + b)])
    })
  )

  it.effect("honours retry-after when it is longer than the backoff", () =>
    Effect.gen(function* () {
      const script = yield* scripted([{ retryAfterMs: 7000 }, ok()])
      const p = yield* withResilience(script.provider, options(), keyOf)
      const fiber = yield* Effect.fork(p.complete(ask("limited")))
      expect(yield* nextSleep()).toBe(7000)
      yield* TestClock.adjust(6999)
      expect(yield* script.calls).toEqual([0])
      yield* TestClock.adjust(1)
      yield* Fiber.join(fiber)
      expect(yield* script.calls).toEqual([0, 7000])
    })
  )

  it.effect("a per-attempt timeout fails the attempt as Timeout, and the retry can succeed", () =>
    Effect.gen(function* () {
      const script = yield* scripted(["hang", ok("late")])
      const p = yield* withResilience(script.provider, options({ timeoutMs: 20_000 }), keyOf)
      const fiber = yield* Effect.fork(p.complete(ask("slow")))
      yield* TestClock.adjust(19_999)
      expect(yield* script.calls).toEqual([0])
      yield* TestClock.adjust(1)
      const wait = yield* nextSleep(10_000)
      yield* TestClock.adjust(wait)
      expect((yield* Fiber.join(fiber)).text).toBe("late")
      expect(yield* script.calls).toEqual([0, 20_000 + wait])
    })
  )

  it.effect("gives up after maxRetries retries with the attempt count", () =>
    Effect.gen(function* () {
      const script = yield* scripted(["Server"])
      const p = yield* withResilience(script.provider, options({ maxRetries: 2, initialBackoffMs: 10 }), keyOf)
      const fiber = yield* Effect.fork(Effect.flip(p.complete(ask("down"))))
      yield* TestClock.adjust(1000)
      const error = yield* Fiber.join(fiber)
      expect([error.reason, error.attempts, error.message]).toEqual(["Server", 3, "scripted Server (gave up after 3 attempts)"])
      expect((yield* script.calls).length).toBe(3)
    })
  )

  for (const reason of ["Auth", "BadRequest", "Malformed", "CacheMiss"] as const) {
    it.effect(`${reason} is not retried`, () =>
      Effect.gen(function* () {
        const script = yield* scripted([reason, ok()])
        const p = yield* withResilience(script.provider, options(), keyOf)
        const error = yield* Effect.flip(p.complete(ask("permanent")))
        expect([error.reason, error.attempts]).toEqual([reason, 1])
        expect((yield* script.calls).length).toBe(1)
      })
    )
  }
})

describe("limits", () => {
  it.effect("never more than `concurrency` attempts in flight", () =>
    Effect.gen(function* () {
      const script = yield* scripted([ok()], 100)
      const p = yield* withResilience(script.provider, options({ concurrency: 3 }), keyOf)
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 10 }, (_, i) => ask(`q${i}`)), (r) => p.complete(r), { concurrency: "unbounded" })
      )
      yield* TestClock.adjust(1000)
      expect(yield* Fiber.join(fiber)).toHaveLength(10)
      expect(yield* script.maxInFlight).toBe(3)
      // four waves of 100 ms: 3 + 3 + 3 + 1
      expect([...(yield* script.calls)].sort((a, b) => a - b)).toEqual([0, 0, 0, 100, 100, 100, 200, 200, 200, 300])
    })
  )

  it.effect("requestsPerMinute: a full bucket, then one request per 60/rpm seconds", () =>
    Effect.gen(function* () {
      const script = yield* scripted([ok()])
      const p = yield* withResilience(script.provider, options({ requestsPerMinute: 2 }), keyOf)
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 5 }, (_, i) => ask(`q${i}`)), (r) => p.complete(r), { concurrency: "unbounded" })
      )
      yield* TestClock.adjust(120_000)
      yield* Fiber.join(fiber)
      expect([...(yield* script.calls)].sort((a, b) => a - b)).toEqual([0, 0, 30_000, 60_000, 90_000])
    })
  )

  it.effect("requestsPerMinute counts retries: each attempt is a request", () =>
    Effect.gen(function* () {
      const script = yield* scripted(["Server", ok()])
      const p = yield* withResilience(script.provider, options({ requestsPerMinute: 1, initialBackoffMs: 1 }), keyOf)
      const fiber = yield* Effect.fork(p.complete(ask("retry pays")))
      yield* TestClock.adjust(60_000)
      yield* Fiber.join(fiber)
      expect(yield* script.calls).toEqual([0, 60_000])
    })
  )

  // 400 characters estimate 100 tokens; the budget is 200 tokens per minute.
  const long = ask("x".repeat(400))

  it.effect("tokensPerMinute: charged the estimate before, corrected by the usage after", () =>
    Effect.gen(function* () {
      // each answer reports 100 input + 100 output tokens: 100 more than estimated
      const script = yield* scripted([ok("a", { inputTokens: 100, outputTokens: 100 })])
      const p = yield* withResilience(script.provider, options({ tokensPerMinute: 200 }), keyOf)
      const fiber = yield* Effect.fork(Effect.forEach([1, 2, 3], () => p.complete(long)))
      yield* TestClock.adjust(120_000)
      yield* Fiber.join(fiber)
      // 200 -> 0 after the first call; each later call waits until 100 are back (30 s) and
      // then owes 100 more (another 30 s)
      expect(yield* script.calls).toEqual([0, 30_000, 90_000])
    })
  )

  it.effect("tokensPerMinute: unused estimate is refunded", () =>
    Effect.gen(function* () {
      const script = yield* scripted([ok("a", { inputTokens: 10, outputTokens: 0 })])
      const p = yield* withResilience(script.provider, options({ tokensPerMinute: 200 }), keyOf)
      const fiber = yield* Effect.fork(Effect.forEach([1, 2, 3, 4], () => p.complete(long)))
      yield* TestClock.adjust(60_000)
      yield* Fiber.join(fiber)
      // each call costs 10 in the end, so all four fit in the first minute's budget
      expect(yield* script.calls).toEqual([0, 0, 0, 0])
    })
  )
})

describe("backoffMs", () => {
  const opts = { initialBackoffMs: 500, maxBackoffMs: 4000 }

  it("is deterministic, differs between requests and stays within [base / 2, base] up to the cap", () => {
    expect(backoffMs(opts, "a", 1)).toBe(backoffMs(opts, "a", 1))
    const firsts = new Set(["a", "b", "c", "d", "e"].map((key) => backoffMs(opts, key, 1)))
    expect(firsts.size).toBeGreaterThan(1)
    for (const key of ["a", "b", "c"]) {
      for (let attempt = 1; attempt <= 8; attempt++) {
        const base = Math.min(4000, 500 * 2 ** (attempt - 1))
        const wait = backoffMs(opts, key, attempt)
        expect(wait >= base / 2 && wait <= base).toBe(true)
      }
    }
  })

  it("takes retry-after as a lower bound", () => {
    expect(backoffMs(opts, "a", 1, 10_000)).toBe(10_000)
    expect(backoffMs(opts, "a", 1, 0)).toBe(backoffMs(opts, "a", 1))
  })
})

describe("retryAfterMs", () => {
  const now = Date.parse("2025-01-01T00:00:00Z")

  it("reads delay-seconds, HTTP dates and retry-after-ms", () => {
    expect(retryAfterMs({ "retry-after": "2" }, now)).toBe(2000)
    expect(retryAfterMs({ "retry-after": "1.5" }, now)).toBe(1500)
    expect(retryAfterMs({ "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" }, now)).toBe(30_000)
    expect(retryAfterMs({ "retry-after": "Tue, 31 Dec 2024 23:59:00 GMT" }, now)).toBe(0)
    expect(retryAfterMs({ "retry-after": "2", "retry-after-ms": "250" }, now)).toBe(250)
  })

  it("ignores absent and unusable values", () => {
    expect(retryAfterMs({}, now)).toBeUndefined()
    expect(retryAfterMs({ "retry-after": "soon" }, now)).toBeUndefined()
    expect(retryAfterMs({ "retry-after": "-3" }, now)).toBeUndefined()
  })
})

describe("redaction", () => {
  const key = Redacted.make("k3y-with.special*chars")

  it("removes the exact key and credential-shaped text from messages", () => {
    expect(redactSecrets("sent k3y-with.special*chars twice: k3y-with.special*chars", [key])).toBe(
      "sent [redacted] twice: [redacted]"
    )
    expect(redactSecrets('{"authorization":"Bearer abc.def-123456789"}')).toBe('{"authorization":"Bearer [redacted]"}')
    expect(redactSecrets("x-api-key: sk-ant-api03-abcdefghijklmnopqrstuv")).toBe("x-api-key: [redacted]")
    expect(redactSecrets("GET https://gw.example/v1?api-version=2&api-key=abc123 failed")).toBe(
      "GET https://gw.example/v1?api-version=2&api-key=[redacted] failed"
    )
    expect(redactSecrets("Incorrect API key provided: sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX.")).toBe(
      "Incorrect API key provided: [redacted]."
    )
  })

  it("strips only the exact key from model output, leaving credential-shaped text alone", () => {
    expect(stripSecrets("use Authorization: Bearer <token>; mine is k3y-with.special*chars", [key])).toBe(
      "use Authorization: Bearer <token>; mine is [redacted]"
    )
  })

  it("keeps the key out of a ProviderError's printed forms when the message was redacted", () => {
    const error = new ProviderError({ reason: "Auth", attempts: 1, message: redactSecrets("bad key k3y-with.special*chars", [key]) })
    for (const text of [error.message, String(error), JSON.stringify(error)]) expect(text).not.toContain("k3y")
    expect(Either.isLeft(Either.left(error))).toBe(true)
  })
})
