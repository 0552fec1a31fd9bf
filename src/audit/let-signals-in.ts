import { Effect } from "effect"

/**
 * Lets the process handle what waits on its event loop (a signal above all) before going on.
 * Measuring simulated organisms never waits on I/O, so without this a SIGINT would be seen
 * only once every cell is measured; `setImmediate` runs after the loop's poll phase, where
 * signals are delivered, so an interruption lands here, between two batches.
 */
export const letSignalsIn: Effect.Effect<void> = Effect.async<void>((resume) => {
  const handle = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(handle))
})
