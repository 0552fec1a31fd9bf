import { Context, Effect, Layer } from "effect"

/** Hooks a run calls as it goes; every hook is optional work for the display, never for results. */
export interface ProgressShape {
  /** The run is open (created or resumed): its id is known from here on. */
  readonly opened: (runId: string, resumed: boolean) => Effect.Effect<void>
  readonly start: (cells: number, alreadyDone: number) => Effect.Effect<void>
  readonly advance: (cells: number, samples: number) => Effect.Effect<void>
  readonly finish: () => Effect.Effect<void>
}

export class Progress extends Context.Tag("evalaudit/Progress")<Progress, ProgressShape>() {
  /** Shows nothing: for tests, `--quiet` and library use. */
  static readonly silent: Layer.Layer<Progress> = Layer.succeed(Progress, {
    opened: () => Effect.void,
    start: () => Effect.void,
    advance: () => Effect.void,
    finish: () => Effect.void
  })
}
