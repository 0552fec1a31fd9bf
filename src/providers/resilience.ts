/**
 * Wraps a provider with the limits and retries a shared API needs:
 *
 * - at most `concurrency` attempts in flight (a semaphore held only while an attempt runs,
 *   not during backoff, so a waiting retry does not block fresh requests);
 * - `requestsPerMinute` and `tokensPerMinute` token buckets on `Clock`; every attempt pays
 *   one request and the request's estimated tokens (characters / 4), and a success is
 *   re-charged with the usage the server reports (input + output tokens);
 * - a per-attempt timeout of `timeoutMs` (`Timeout`);
 * - up to `maxRetries` retries of `RateLimited`, `Server`, `Timeout` and `Network` failures,
 *   after an exponential backoff `min(maxBackoffMs, initialBackoffMs * 2^(n-1))` scaled by a
 *   jitter factor in [0.5, 1) drawn from sha256(request key, attempt): deterministic, and
 *   different for different requests so they do not retry in lockstep. A `retry-after`
 *   from the server is honoured as a lower bound on the wait.
 *
 * `Auth`, `BadRequest` (4xx other than 408 and 429) and `Malformed` are not retried: the same
 * request would fail the same way, and a 2xx body in the wrong format means a wrong
 * `kind` or `baseUrl`, which retrying only makes more expensive. The error that finally
 * escapes carries the number of attempts made.
 */
import { Duration, Effect, Either, Option } from "effect"
import { sha256Hex } from "../stats/seeded-random.js"
import { type ChatProvider, type ChatRequest, type ChatResponse, estimateTokens, isRetryable, ProviderError } from "../domain/chat.js"
import { makeTokenBucket, type TokenBucket } from "./token-bucket.js"

export interface ResilienceOptions {
  readonly concurrency: number
  readonly requestsPerMinute?: number | undefined
  readonly tokensPerMinute?: number | undefined
  readonly timeoutMs: number
  readonly maxRetries: number
  readonly initialBackoffMs: number
  readonly maxBackoffMs: number
}

type BackoffOptions = Pick<ResilienceOptions, "initialBackoffMs" | "maxBackoffMs">

/** A uniform number in [0, 1) from the request's key and the attempt number. */
const jitter = (key: string, attempt: number): number =>
  Number.parseInt(sha256Hex(`${key}\u0000${attempt}`).slice(0, 12), 16) / 2 ** 48

/** Milliseconds to wait after failed attempt `attempt` (1-based) of the request with `key`. */
export const backoffMs = (options: BackoffOptions, key: string, attempt: number, retryAfterMs?: number): number => {
  const base = Math.min(options.maxBackoffMs, options.initialBackoffMs * 2 ** (attempt - 1))
  const jittered = Math.ceil(base * (0.5 + 0.5 * jitter(key, attempt)))
  return Math.max(jittered, retryAfterMs ?? 0)
}

const withAttempts = (error: ProviderError, attempts: number): ProviderError =>
  new ProviderError({
    reason: error.reason,
    attempts,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    message: attempts > 1 ? `${error.message} (gave up after ${attempts} attempts)` : error.message
  })

const optionalBucket = (perMinute: number | undefined): Effect.Effect<Option.Option<TokenBucket>> =>
  perMinute === undefined ? Effect.succeedNone : Effect.asSome(makeTokenBucket(perMinute))

/**
 * `provider` behind a concurrency limit, rate limits, a timeout and retries. `keyOf` names a
 * request stably (its cache key) for the jitter; the limits are shared by every call to the
 * returned provider, so make it once per provider, not once per request.
 */
export const withResilience = (
  provider: ChatProvider,
  options: ResilienceOptions,
  keyOf: (request: ChatRequest) => string
): Effect.Effect<ChatProvider> =>
  Effect.gen(function* () {
    const permits = yield* Effect.makeSemaphore(options.concurrency)
    const requests = yield* optionalBucket(options.requestsPerMinute)
    const tokens = yield* optionalBucket(options.tokensPerMinute)
    const timeout = Duration.millis(options.timeoutMs)

    const onTimeout = () =>
      new ProviderError({
        reason: "Timeout",
        attempts: 1,
        message: `${provider.id}: no complete response within ${options.timeoutMs} ms`
      })

    const once = (request: ChatRequest) =>
      permits.withPermits(1)(provider.complete(request).pipe(Effect.timeoutFail({ duration: timeout, onTimeout })))

    const complete = (request: ChatRequest): Effect.Effect<ChatResponse, ProviderError> => {
      const estimate = estimateTokens(request)
      const attempt = (n: number): Effect.Effect<ChatResponse, ProviderError> =>
        Effect.gen(function* () {
          if (Option.isSome(requests)) yield* requests.value.take(1)
          if (Option.isSome(tokens)) yield* tokens.value.take(estimate)
          const result = yield* Effect.either(once(request))
          if (Either.isRight(result)) {
            const response = result.right
            if (Option.isSome(tokens)) {
              const used = (response.inputTokens ?? estimate) + (response.outputTokens ?? 0)
              yield* tokens.value.settle(used - estimate)
            }
            return response
          }
          const error = result.left
          if (!isRetryable(error.reason) || n > options.maxRetries) return yield* withAttempts(error, n)
          // the key is only needed for jitter: computed on failure, not on every call
          const waitMs = backoffMs(options, keyOf(request), n, error.retryAfterMs)
          yield* Effect.logDebug(`retrying in ${waitMs} ms`).pipe(
            Effect.annotateLogs({ provider: provider.id, attempt: n, reason: error.reason })
          )
          yield* Effect.sleep(Duration.millis(waitMs))
          return yield* attempt(n + 1)
        })
      return attempt(1)
    }

    return { id: provider.id, complete }
  })
