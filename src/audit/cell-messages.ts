/**
 * The messages between the main thread and its cell workers, as Schemas: whatever crosses
 * a thread boundary is checked like any other input.
 */
import { Schema } from "effect"
import { CellResult, type SampleResult } from "../domain/outcome.js"
import type { MeasuredCell } from "../measure/measure-cell.js"

/** What a worker starts with: the audit (encoded, as stored with a run) and the run's seed. */
export const WorkerInit = Schema.Struct({ auditJson: Schema.String, seed: Schema.Number })
export type WorkerInit = typeof WorkerInit.Type

/** A cell by the index of its evaluation in the audit, its organism's id and its replicate. */
export const CellTask = Schema.Struct({ evaluation: Schema.Int, organism: Schema.String, replicate: Schema.Int })
export type CellTask = typeof CellTask.Type

export const CellRequest = Schema.Struct({ id: Schema.Int, cells: Schema.Array(CellTask) })
export type CellRequest = typeof CellRequest.Type

// A reply carries thousands of responses: columns of plain values cost a third as much to
// copy between threads as one object per response, and are checked by one loop each.
const arrayOf = <A>(is: (u: unknown) => u is A, name: string) =>
  Schema.declare((u: unknown): u is ReadonlyArray<A> => Array.isArray(u) && u.every(is), { identifier: `${name}[]` })
const Strings = arrayOf((u): u is string => typeof u === "string", "string")
const Numbers = arrayOf((u): u is number => typeof u === "number", "number")

/**
 * The measured cells of a request, in its order: each cell's result, its number of graded
 * responses, and the responses of every cell one after another, column by column.
 */
export const CellReply = Schema.Struct({
  id: Schema.Int,
  results: Schema.Array(CellResult),
  counts: Numbers,
  sample: Strings,
  epoch: Numbers,
  response: Strings,
  score: Numbers,
  explanation: Strings
})
export type CellReply = typeof CellReply.Type

export const toReply = (id: number, measured: ReadonlyArray<MeasuredCell>): CellReply => {
  const samples = measured.flatMap((m) => m.samples)
  return {
    id,
    results: measured.map((m) => m.result),
    counts: measured.map((m) => m.samples.length),
    sample: samples.map((s) => s.sample),
    epoch: samples.map((s) => s.epoch),
    response: samples.map((s) => s.response),
    score: samples.map((s) => s.score),
    explanation: samples.map((s) => s.explanation)
  }
}

/** The cells of a reply, or undefined if its columns do not add up. */
export const fromReply = (reply: CellReply): ReadonlyArray<MeasuredCell> | undefined => {
  let at = 0
  let short = false
  const cells = reply.results.map((result, i) => {
    const samples: Array<SampleResult> = []
    for (const end = at + (reply.counts[i] ?? 0); at < end; at++) {
      const sample = reply.sample[at]
      const epoch = reply.epoch[at]
      const response = reply.response[at]
      const score = reply.score[at]
      const explanation = reply.explanation[at]
      if (sample === undefined || epoch === undefined || response === undefined || score === undefined || explanation === undefined) short = true
      else samples.push({ sample, epoch, response, score, explanation })
    }
    return { result, samples }
  })
  return short || at !== reply.sample.length ? undefined : cells
}
