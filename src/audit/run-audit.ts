import { Effect, Option } from "effect"
import type { ResolvedAudit } from "../domain/audit.js"
import type { Summary } from "../domain/summary.js"
import { type ProviderEntry, Providers } from "../measure/providers.js"
import type { StoredRun } from "../store/audit-store.js"
import { openRun } from "./phases/1-open-run.js"
import { checkRun } from "./phases/2-check.js"
import { measureRun } from "./phases/3-measure.js"
import { deriveRun } from "./phases/4-derive.js"
import { summarizeRun } from "./phases/5-summarize.js"
import type { RunOptions } from "./phases/run-options.js"

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
 * and store what follows from the cells, 5 summarize from the store alone.
 */
export const runAudit = (audit: ResolvedAudit, options: RunOptions) =>
  Effect.gen(function* () {
    const providers = Option.getOrElse(yield* Effect.serviceOption(Providers), () => new Map<string, ProviderEntry>())
    return yield* Effect.gen(function* () {
      const { run, resumed } = yield* openRun(audit, options)
      const { checks, problems } = yield* checkRun(audit, run)
      const measured = yield* measureRun(audit, run, checks, options)
      yield* deriveRun(audit, run, checks, { cellsPlanned: measured.cellsPlanned, checksUndone: problems.length })
      const { summary, run: stored } = yield* summarizeRun(run.id)
      return { run: stored, resumed, cellsRun: measured.cellsRun, cellsSkipped: measured.cellsSkipped, summary, problems } satisfies RunReport
    }).pipe(Effect.provideService(Providers, providers))
  })
