import { Clock, Deferred, Effect, Queue } from "effect"
import type { ServedRequest } from "../domain/serve.js"
import type { StoreError } from "../domain/store-error.js"
import { AuditStore } from "../store/audit-store.js"

/** Requests written per transaction at most: large enough that SQLite is never the bottleneck, small enough to bound memory. */
const BATCH = 2000

export type Served = Omit<ServedRequest, "sessionId" | "seq" | "receivedAt">

export interface Recorder {
  /** Queues a request for the store; never waits for SQLite. */
  readonly record: (served: Served) => Effect.Effect<void>
  /** Requests answered so far, and how many matched no item. */
  readonly counts: () => { readonly served: number; readonly unrecognised: number }
  /** Fails if the store refused a batch: the server must not go on answering what it cannot record. */
  readonly failure: Effect.Effect<never, StoreError>
}

/**
 * Records served requests in the background: each is numbered on arrival and queued, and one
 * fiber writes whatever has queued up in one transaction. When the scope closes the fiber
 * stops between batches and what is still queued is written, so nothing answered goes
 * unrecorded.
 */
export const makeRecorder = (sessionId: string) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const queue = yield* Queue.unbounded<ServedRequest>()
    const failed = yield* Deferred.make<never, StoreError>()
    let served = 0
    let unrecognised = 0
    const write = (batch: ReadonlyArray<ServedRequest>) => store.saveServed(batch).pipe(Effect.tapError((e) => Deferred.fail(failed, e)))
    // A batch once taken is written even if the scope is closing (the take itself stays interruptible).
    const writeNext = Effect.uninterruptibleMask((restore) => restore(Queue.takeBetween(queue, 1, BATCH)).pipe(Effect.flatMap((chunk) => write([...chunk]))))
    yield* Effect.addFinalizer(() =>
      Queue.takeAll(queue).pipe(
        Effect.flatMap((rest) => write([...rest])),
        Effect.ignore
      )
    )
    yield* Effect.forkScoped(Effect.forever(writeNext).pipe(Effect.ignore))
    const recorder: Recorder = {
      record: (entry) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          served++
          if (entry.evaluation === undefined) unrecognised++
          return Queue.offer(queue, { ...entry, sessionId, seq: served, receivedAt: new Date(now).toISOString() })
        }),
      counts: () => ({ served, unrecognised }),
      failure: Deferred.await(failed)
    }
    return recorder
  })
