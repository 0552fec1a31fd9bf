import { Effect } from "effect"
import type { ResolvedAudit } from "../domain/audit.js"
import { AuditFileError } from "../domain/audit-file-error.js"
import type { HarnessLogRecord } from "../domain/harness.js"
import type { Summary } from "../domain/summary.js"
import { openRun } from "../audit/phases/1-open-run.js"
import { checkRun } from "../audit/phases/2-check.js"
import { deriveRun } from "../audit/phases/4-derive.js"
import { summarizeRun } from "../audit/phases/5-summarize.js"
import { AuditStore, type StoredRun } from "../store/audit-store.js"
import { placer, type Placed } from "./mapping.js"
import { readHarnessLog } from "./read-log.js"
import { scoreCells } from "./score-cells.js"
import { scoringSpec } from "./scoring-spec.js"

/** Every log read and placed in the audit, before anything is written. */
export interface PlacedLogs {
  readonly logs: ReadonlyArray<HarnessLogRecord>
  readonly placed: ReadonlyArray<Placed>
  /** Per log with unmatched entries: how many, and the first reason. */
  readonly unmatched: ReadonlyArray<string>
}

/**
 * Reads every log and places each scored answer in the audit. A log that cannot be read,
 * or none of whose answers the audit can place, is bad input naming the file.
 */
export const placeLogs = (audit: ResolvedAudit, files: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const place = placer(audit)
    const logs: Array<HarnessLogRecord> = []
    const placed: Array<Placed> = []
    const unmatched: Array<string> = []
    for (const file of files) {
      const log = yield* readHarnessLog(file, audit.harness?.scorer)
      const reasons: Array<string> = []
      const here: Array<Placed> = []
      for (const entry of log.entries) {
        const placement = place({ ...entry, where: `${file}: ${entry.where}` })
        if (placement._tag === "Unmatched") reasons.push(placement.reason)
        else here.push(placement.placed)
      }
      const problem =
        log.entries.length === 0
          ? "expected scored samples, found none"
          : here.length === 0
            ? `no logged answer belongs to the audit: ${reasons[0] ?? ""}`
            : here.every((p) => p.entry.score === undefined)
              ? `expected scored samples: the harness scored none of the ${here.length} answers that belong to the audit`
              : undefined
      if (problem !== undefined) return yield* new AuditFileError({ file, path: "", message: problem })
      placed.push(...here)
      if (reasons.length > 0) unmatched.push(`${file}: ${reasons.length} of ${log.entries.length} answers not in the audit (first: ${reasons[0] ?? ""})`)
      logs.push({ file, format: log.format, sha256: log.sha256, entries: log.entries.length, unmatched: reasons.length })
    }
    return { logs, placed, unmatched } satisfies PlacedLogs
  })

export interface ScoreReport {
  readonly run: StoredRun
  readonly summary: Summary
  /** What the terminal should say was left out: unmatched answers, dropped samples, unscored subjects, unchecked organisms. */
  readonly notes: ReadonlyArray<string>
}

/**
 * Scores a harness's logs against an audit through the run's own phases: 1 a new run whose
 * spec is the audit narrowed to what the logs hold (the logs are recorded with it), 2 the
 * organisms' manipulation checks, then the logged answers stored as the measured cells in
 * place of phase 3, 4 triggers derived, 5 the summary from the store, so `report`, `check`
 * and `diff` read a scored run like any other.
 */
export const scoreLogs = (audit: ResolvedAudit, read: PlacedLogs, options: { readonly seed: number; readonly command: string }) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const scored = scoreCells(read.placed, options.seed)
    const narrowed = scoringSpec(
      audit,
      new Set(read.placed.map((p) => p.evaluation.id)),
      new Set(read.placed.map((p) => p.organism.id)),
      scored.replicates
    )
    const { run } = yield* openRun(narrowed.spec, { seed: options.seed, replicates: scored.replicates, concurrency: 1, command: options.command })
    const { checks, problems } = yield* checkRun(narrowed.spec, run)
    const passed = new Set(checks.filter((c) => c.passed).map((c) => c.organism))
    const cells = scored.cells.filter((c) => passed.has(c.result.organism))
    yield* store.saveHarness(run.id, read.logs, scored.samples)
    yield* store.saveCells(run.id, cells)
    yield* deriveRun(narrowed.spec, run, checks, { cellsPlanned: cells.length, checksUndone: problems.length })
    const { summary, run: stored } = yield* summarizeRun(run.id)
    return { run: stored, summary, notes: [...read.unmatched, ...scored.dropped, ...narrowed.notes, ...problems] } satisfies ScoreReport
  })
