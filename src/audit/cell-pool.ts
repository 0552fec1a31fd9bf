/**
 * Worker threads that measure simulated cells, so a run uses every core while the main
 * thread alone writes the store. A cell is a pure function of the audit, the seed and its
 * key (DESIGN.md section 5), so which thread measures it never changes a number.
 */
import { Effect, Schema, type Scope } from "effect"
import { extname } from "node:path"
import { Worker } from "node:worker_threads"
import type { ResolvedAudit } from "../domain/audit.js"
import type { MeasuredCell } from "../measure/measure-cell.js"
import { CellReply, fromReply, type CellRequest, type CellTask, type WorkerInit } from "./cell-messages.js"
import { encodeAudit } from "./spec-hash.js"

export interface CellPool {
  /** Measures the cells, spread over the workers; the results come back in the cells' order. */
  readonly measure: (cells: ReadonlyArray<CellTask>) => Effect.Effect<ReadonlyArray<MeasuredCell>>
}

/**
 * A worker running `cell-worker` from beside this module: the bundle's `.mjs` or the
 * library's `.js`; from the TypeScript sources (tests, tsx) the worker loads them through tsx.
 */
const startWorker = (init: WorkerInit): Worker => {
  const here = import.meta.url
  if (extname(new URL(here).pathname) === ".ts") {
    const source = JSON.stringify(new URL("./cell-worker.ts", here).href)
    return new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${source}) })`, { eval: true, workerData: init })
  }
  return new Worker(new URL(`./cell-worker${extname(new URL(here).pathname)}`, here), { workerData: init })
}

/** Requests per worker in one `measure`: small enough that a worker with slow cells does not hold up the others. */
const REQUESTS_PER_WORKER = 4

const isReply = Schema.is(CellReply)

interface Pending {
  readonly reply: (measured: ReadonlyArray<MeasuredCell>) => void
  readonly fail: (defect: unknown) => void
}

/** `size` workers for the audit's simulated cells under `seed`, stopped when the scope closes. */
export const cellPool = (audit: ResolvedAudit, seed: number, size: number): Effect.Effect<CellPool, never, Scope.Scope> =>
  Effect.gen(function* () {
    const auditJson = yield* Effect.orDie(encodeAudit(audit))
    const workers = yield* Effect.acquireRelease(
      Effect.sync(() => Array.from({ length: size }, () => startWorker({ auditJson, seed }))),
      (started) => Effect.promise(() => Promise.all(started.map((w) => w.terminate())))
    )
    const idle: Array<Worker> = [...workers]
    const queue: Array<CellRequest> = []
    const pending = new Map<number, Pending>()
    let nextId = 0
    let broken: unknown

    const dispatch = () => {
      for (let worker = idle.pop(); worker !== undefined; worker = idle.pop()) {
        const request = queue.shift()
        if (request === undefined) {
          idle.push(worker)
          return
        }
        worker.postMessage(request)
      }
    }
    // A worker that fails is a defect (a bug in measuring, as it would be in-process): every waiting request fails with it.
    const breakPool = (defect: unknown) => {
      broken ??= defect
      for (const p of pending.values()) p.fail(defect)
      pending.clear()
    }
    for (const worker of workers) {
      worker.on("message", (message: unknown) => {
        const measured = isReply(message) ? fromReply(message) : undefined
        if (!isReply(message) || measured === undefined) return breakPool(new Error("a cell worker sent a malformed reply"))
        const waiting = pending.get(message.id)
        pending.delete(message.id)
        idle.push(worker)
        dispatch()
        waiting?.reply(measured)
      })
      worker.on("error", breakPool)
      worker.on("exit", (code) => breakPool(new Error(`a cell worker exited (code ${code})`)))
    }

    const measure = (cells: ReadonlyArray<CellTask>) =>
      Effect.async<ReadonlyArray<MeasuredCell>>((resume) => {
        if (broken !== undefined) return resume(Effect.die(broken))
        const per = Math.max(1, Math.ceil(cells.length / (size * REQUESTS_PER_WORKER)))
        const parts: Array<ReadonlyArray<MeasuredCell>> = []
        let left = Math.ceil(cells.length / per)
        if (left === 0) return resume(Effect.succeed([]))
        let failed = false
        for (let start = 0, part = 0; start < cells.length; start += per, part++) {
          const id = nextId++
          pending.set(id, {
            reply: (measured) => {
              parts[part] = measured
              if (--left === 0) resume(Effect.succeed(parts.flat()))
            },
            fail: (defect) => {
              if (failed) return
              failed = true
              resume(Effect.die(defect))
            }
          })
          queue.push({ id, cells: cells.slice(start, start + per) })
        }
        dispatch()
      })
    return { measure } satisfies CellPool
  })
