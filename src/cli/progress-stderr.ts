import { Clock, Effect, Layer, Ref } from "effect"
import { Progress } from "../run/progress.js"

const format = (done: number, total: number, samples: number, elapsedMs: number): string => {
  const seconds = Math.max(elapsedMs / 1000, 1e-3)
  const rate = samples / seconds
  const fraction = total === 0 ? 1 : done / total
  const eta = fraction > 0 && fraction < 1 ? ` ETA ${Math.ceil((seconds / fraction) * (1 - fraction))}s` : ""
  return `cells ${done}/${total} (${Math.round(fraction * 100)}%) · ${Math.round(rate)} samples/s${eta}`
}

/**
 * Progress on stderr: a line rewritten in place on a terminal, a start and an end line
 * otherwise, so logs of CI runs stay short.
 */
export const stderrProgress: Layer.Layer<Progress> = Layer.effect(
  Progress,
  Effect.gen(function* () {
    const state = yield* Ref.make({ total: 0, done: 0, samples: 0, startedAt: 0, lastDraw: 0 })
    const tty = process.stderr.isTTY === true
    const write = (text: string) => Effect.sync(() => process.stderr.write(text))
    return {
      start: (total, alreadyDone) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          yield* Ref.set(state, { total, done: alreadyDone, samples: 0, startedAt: now, lastDraw: 0 })
          yield* write(
            `running ${total - alreadyDone} of ${total} cells${alreadyDone > 0 ? ` (${alreadyDone} already done, resumed)` : ""}\n`
          )
        }),
      advance: (cells, samples) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const s = yield* Ref.updateAndGet(state, (s) => ({ ...s, done: s.done + cells, samples: s.samples + samples }))
          if (tty && now - s.lastDraw >= 100) {
            yield* Ref.update(state, (x) => ({ ...x, lastDraw: now }))
            yield* write(`\r${format(s.done, s.total, s.samples, now - s.startedAt)}\u001b[K`)
          }
        }),
      finish: () =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const s = yield* Ref.get(state)
          yield* write(`${tty ? "\r" : ""}${format(s.done, s.total, s.samples, now - s.startedAt)}${tty ? "\u001b[K" : ""}\n`)
        })
    }
  })
)
