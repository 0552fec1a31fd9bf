import { classify, type CellResult } from "../../src/domain/outcome.js"
import type { RunRecord } from "../../src/scoring/summarize.js"

/** A finished two-replicate run record, for scoring hand-made cells. */
export const testRun: RunRecord = { id: "r", audit: "small", source: "inline", version: "test", seed: 1, replicates: 2, specHash: "h", startedAt: "t", finishedAt: "t" }

/** A hand-made measured cell: 30/40 when it fired, 0/40 when not; truth 0.99 when it should fire. */
export const measuredCell = (evaluation: string, organism: string, replicate: number, shouldFire: boolean, didFire: boolean): CellResult => ({
  _tag: "Measured",
  evaluation,
  organism,
  replicate,
  k: didFire ? 30 : 0,
  n: 40,
  measured: didFire ? 0.75 : 0,
  truth: shouldFire ? 0.99 : 0,
  shouldFire,
  didFire,
  outcome: classify(shouldFire, didFire)
})
