import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { progressLayer, progressLine } from "../src/cli/progress-stderr.js"
import { Progress } from "../src/audit/progress.js"

/** Drives a progress display through a resumed run of 10 cells (4 already done), one second per 3 cells. */
const drive = (isTTY: boolean) =>
  Effect.gen(function* () {
    const written: Array<string> = []
    yield* Effect.gen(function* () {
      const progress = yield* Progress
      yield* progress.opened("r1", true)
      yield* progress.start(10, 4)
      yield* TestClock.adjust("1 second")
      yield* progress.advance(3, 600)
      yield* TestClock.adjust("1 second")
      yield* progress.advance(3, 600)
      yield* progress.finish()
    }).pipe(Effect.provide(progressLayer({ isTTY, write: (text) => void written.push(text) })))
    return written
  })

describe("progress on stderr", () => {
  it.effect("writes nothing at all when stderr is not a terminal", () =>
    Effect.gen(function* () {
      expect(yield* drive(false)).toEqual([])
    })
  )

  it.effect("on a terminal: the run id from the start, a start line, then cells done of total, samples/s and an ETA from this session's pace", () =>
    Effect.gen(function* () {
      const written = yield* drive(true)
      expect(written).toEqual([
        "resuming run r1\n",
        "running 6 of 10 cells (4 already done, resumed)\n",
        // 3 cells in 1 s, 3 left: 1 s to go (the 4 resumed cells took no time).
        "\rrun r1 · cells 7/10 (70%) · 600 samples/s · ETA 1s\u001b[K",
        "\rrun r1 · cells 10/10 (100%) · 600 samples/s\u001b[K",
        "\rrun r1 · cells 10/10 (100%) · 600 samples/s\u001b[K\n"
      ])
    })
  )

  it("formats long waits in minutes and hours", () => {
    expect(progressLine({ total: 100, done: 1, startDone: 0, samples: 10, elapsedMs: 65_000 })).toBe("cells 1/100 (1%) · 0 samples/s · ETA 1h 47m")
    expect(progressLine({ total: 10, done: 5, startDone: 0, samples: 500, elapsedMs: 65_000 })).toBe("cells 5/10 (50%) · 8 samples/s · ETA 1m 05s")
  })
})
