import { Effect, Option } from "effect"
import type { ResolvedAudit } from "../domain/audit.js"
import type { Summary } from "../domain/summary.js"
import { type ProviderEntry, Providers } from "../measure/providers.js"
import { AuditStore, type StoredRun } from "../store/audit-store.js"
import { isoNow, openRun } from "./phases/1-open-run.js"
import { checkRun } from "./phases/2-check.js"
import { measureRun } from "./phases/3-measure.js"
import { deriveRun } from "./phases/4-derive.js"
import { summarizeRun } from "./phases/5-summarize.js"
import type { RunOptions } from "./phases/run-options.js"
import { Progress } from "./progress.js"

export type { RunOptions }
export { summarizeRun }

export interface RunReport {
  readonly run: StoredRun
  readonly resumed: boolean
  readonly cellsRun: number
  readonly cellsSkipped: number
  readonly summary: Summary
  /** What kept this run from finishing that the summary cannot show (a prompted organism's check that could not run, and why). */
  readonly problems: ReadonlyArray<string>
}

/**
 * Runs (or resumes) an audit through its phases, each handing the next what it needs:
 * 1 open the run, 2 check organisms and graders, 3 measure every pending cell, 4 derive
 * and store what follows from the cells, 5 summarize from the store alone. `publish` (the
 * CLI writes the memo and summaries) gets the summary of a complete run as it will read
 * once marked finished, and the run is marked finished only after it succeeds: a run whose
 * outputs could not be written, or that was stopped while writing them, stays incomplete.
 * The run is claimed by this process from phase 1 until it stops.
 */
export const runAuditPublishing = <A, E, R>(audit: ResolvedAudit, options: RunOptions, publish: (summary: Summary) => Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const providers = Option.getOrElse(yield* Effect.serviceOption(Providers), () => new Map<string, ProviderEntry>())
    const store = yield* AuditStore
    const progress = yield* Progress
    const { run, resumed } = yield* openRun(audit, options)
    yield* progress.opened(run.id, resumed)
    return yield* Effect.gen(function* () {
      const { checks, problems } = yield* checkRun(audit, run)
      const measured = yield* measureRun(audit, run, checks, options)
      const complete = yield* deriveRun(audit, run, checks, { cellsPlanned: measured.cellsPlanned, checksUndone: problems.length })
      const finishing = complete && run.finishedAt === null ? yield* isoNow : undefined
      const { summary, run: stored } = yield* summarizeRun(run.id, finishing === undefined ? {} : { finishingAt: finishing })
      const published = yield* publish(summary)
      if (finishing !== undefined) yield* store.finishRun(run.id, finishing)
      return { run: stored, resumed, cellsRun: measured.cellsRun, cellsSkipped: measured.cellsSkipped, summary, problems, published } satisfies RunReport & { published: A }
    }).pipe(
      Effect.provideService(Providers, providers),
      // Released however the run stops; a killed process leaves its claim, which the next one takes over.
      Effect.ensuring(Effect.ignore(store.releaseRun(run.id)))
    )
  })

/** `runAuditPublishing` with nothing to publish: a complete run is marked finished once summarized. */
export const runAudit = (audit: ResolvedAudit, options: RunOptions) => runAuditPublishing(audit, options, () => Effect.void)
