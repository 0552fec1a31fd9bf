/**
 * In-flight de-duplication: while a request is on its way, an identical one (same key) waits
 * for its answer instead of sending a second HTTP call. Identical requests in flight together
 * are common once samples of a cell and cells of a run are asked concurrently (replicates of
 * a deterministic prompt, repeated questions); the response cache only helps after the first
 * answer is stored.
 */
import { Deferred, Effect, FiberId } from "effect"

/** Runs `run` once per key at a time; callers with the same key meanwhile share its outcome. */
export type InFlight<A, E> = (key: string, run: Effect.Effect<A, E>) => Effect.Effect<A, E>

export const makeInFlight = <A, E>(): InFlight<A, E> => {
  const pending = new Map<string, Deferred.Deferred<A, E>>()
  return (key, run) =>
    // Lookup and registration happen in one synchronous step, so no fiber can slip between them.
    Effect.suspend(() => {
      const shared = pending.get(key)
      if (shared !== undefined) return Deferred.await(shared)
      const deferred = Deferred.unsafeMake<A, E>(FiberId.none)
      pending.set(key, deferred)
      return run.pipe(
        Effect.onExit((exit) =>
          Effect.sync(() => {
            pending.delete(key)
            Deferred.unsafeDone(deferred, exit)
          })
        )
      )
    })
}
