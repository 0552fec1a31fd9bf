import { Clock, Effect, Layer, Ref } from "effect"
import { Progress } from "../audit/progress.js"
import { plural } from "../domain/plural.js"

/** Where progress goes: stderr in the CLI, a fake terminal in tests. */
export interface ProgressSink {
  readonly isTTY: boolean
  readonly write: (text: string) => void
}

export interface ProgressState {
  /** The run's id, shown from the start so an interrupted run can be resumed by it ("" before it is known). */
  readonly runId?: string
  readonly total: number
  readonly done: number
  /** Cells already done when this session started (a resumed run): they took no time now. */
  readonly startDone: number
  readonly samples: number
  readonly elapsedMs: number
}

/** "1m 05s", "2h 03m", "42s". */
const duration = (seconds: number): string => {
  const s = Math.ceil(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
}

/** "run r1 · cells 12/40 (30%) · 5000 samples/s · ETA 4s": the ETA from this session's pace, shown once a cell is done. */
export const progressLine = (p: ProgressState): string => {
  const seconds = Math.max(p.elapsedMs / 1000, 1e-3)
  const fraction = p.total === 0 ? 1 : p.done / p.total
  const doneNow = p.done - p.startDone
  const remaining = p.total - p.done
  const eta = doneNow > 0 && remaining > 0 ? ` · ETA ${duration((seconds / doneNow) * remaining)}` : ""
  const run = p.runId === undefined || p.runId === "" ? "" : `run ${p.runId} · `
  return `${run}cells ${p.done}/${p.total} (${Math.floor(fraction * 100)}%) · ${Math.round(p.samples / seconds)} samples/s${eta}`
}

/** Redraws at most this often, so a fast run does not spend its time writing to the terminal. */
const REDRAW_MS = 100

/**
 * Progress on a terminal: the run's id as soon as it is open, a start line, then one line
 * rewritten in place (run id, cells done of total, samples per second, time left), ended
 * with a newline. When the sink is not a
 * terminal (CI logs, pipes, files) it writes nothing at all: logs keep only the results.
 */
export const progressLayer = (sink: ProgressSink): Layer.Layer<Progress> =>
  sink.isTTY
    ? Layer.effect(
        Progress,
        Effect.gen(function* () {
          const state = yield* Ref.make({ runId: "", total: 0, done: 0, startDone: 0, samples: 0, startedAt: 0, lastDraw: Number.NEGATIVE_INFINITY })
          const write = (text: string) => Effect.sync(() => sink.write(text))
          const line = (s: { runId: string; total: number; done: number; startDone: number; samples: number; startedAt: number }, now: number) =>
            progressLine({ ...s, elapsedMs: now - s.startedAt })
          return {
            opened: (runId, resumed) =>
              Effect.gen(function* () {
                yield* Ref.update(state, (s) => ({ ...s, runId }))
                yield* write(`${resumed ? "resuming" : "starting"} run ${runId}\n`)
              }),
            start: (total, alreadyDone) =>
              Effect.gen(function* () {
                const now = yield* Clock.currentTimeMillis
                yield* Ref.update(state, (s) => ({ ...s, total, done: alreadyDone, startDone: alreadyDone, samples: 0, startedAt: now, lastDraw: Number.NEGATIVE_INFINITY }))
                yield* write(`running ${total - alreadyDone} of ${plural(total, "cell")}${alreadyDone > 0 ? ` (${alreadyDone} already done, resumed)` : ""}\n`)
              }),
            advance: (cells, samples) =>
              Effect.gen(function* () {
                const now = yield* Clock.currentTimeMillis
                const s = yield* Ref.updateAndGet(state, (s) => ({ ...s, done: s.done + cells, samples: s.samples + samples }))
                if (now - s.lastDraw < REDRAW_MS) return
                yield* Ref.update(state, (x) => ({ ...x, lastDraw: now }))
                yield* write(`\r${line(s, now)}\u001b[K`)
              }),
            finish: () =>
              Effect.gen(function* () {
                const now = yield* Clock.currentTimeMillis
                yield* write(`\r${line(yield* Ref.get(state), now)}\u001b[K\n`)
              })
          }
        })
      )
    : Progress.silent

/** Progress on this process's stderr (silent unless stderr is a terminal). */
export const stderrProgress: Layer.Layer<Progress> = Layer.suspend(() =>
  progressLayer({ isTTY: process.stderr.isTTY === true, write: (text) => void process.stderr.write(text) })
)
