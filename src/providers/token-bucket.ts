/**
 * A per-minute budget (requests or tokens) as a token bucket on `Clock`, so tests drive it
 * with `TestClock`. Callers reserve before they spend: the bucket may go into debt and each
 * caller sleeps until its own reservation is covered, which keeps waiting callers in order
 * without a queue. `settle` corrects a reservation once the true cost is known.
 */
import { Clock, Duration, Effect, Ref } from "effect"

export interface TokenBucket {
  /** Reserves `amount`, then waits until the bucket has refilled enough to cover it. */
  readonly take: (amount: number) => Effect.Effect<void>
  /** Charges `amount` more (or refunds, when negative) without waiting. */
  readonly settle: (amount: number) => Effect.Effect<void>
}

interface State {
  readonly tokens: number
  readonly at: number
}

/** A bucket holding at most `perMinute`, refilled continuously at `perMinute` per minute; starts full. */
export const makeTokenBucket = (perMinute: number): Effect.Effect<TokenBucket> =>
  Effect.gen(function* () {
    const perMs = perMinute / 60_000
    const state = yield* Ref.make<State>({ tokens: perMinute, at: yield* Clock.currentTimeMillis })
    const refill = (s: State, now: number): State =>
      now <= s.at ? s : { tokens: Math.min(perMinute, s.tokens + (now - s.at) * perMs), at: now }

    const take = (amount: number) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const waitMs = yield* Ref.modify(state, (s) => {
          const tokens = refill(s, now).tokens - amount
          return [tokens >= 0 ? 0 : -tokens / perMs, { tokens, at: Math.max(s.at, now) }] as const
        })
        if (waitMs > 0) yield* Effect.sleep(Duration.millis(Math.ceil(waitMs)))
      })

    const settle = (amount: number) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        yield* Ref.update(state, (s) => {
          const r = refill(s, now)
          return { tokens: Math.min(perMinute, r.tokens - amount), at: r.at }
        })
      })

    return { take, settle }
  })
