/** What scoring reads: one record of everything a run stored, and which organisms are scored. */
import type { ResolvedAudit } from "../domain/audit.js"
import type { HarnessLogRecord, HarnessSampleRecord } from "../domain/harness.js"
import type { CellResult, TriggerResult } from "../domain/outcome.js"
import type { ManipulationCheck, RunRecord, SampleScore } from "../domain/run.js"
import type { SearchScore } from "../domain/search-settings.js"
import type { GraderScore } from "../domain/summary.js"
import { organismProfiles, type OrganismProfile } from "../organisms/profile.js"

export interface ScoringInput {
  readonly audit: ResolvedAudit
  readonly run: RunRecord
  readonly cells: ReadonlyArray<CellResult>
  /** Recomputed from the cells by the caller, so an interrupted run never shows stale ones. */
  readonly triggerResults: ReadonlyArray<TriggerResult>
  readonly checks: ReadonlyArray<ManipulationCheck>
  /** Property battery per distinct grader; empty when the battery was skipped. */
  readonly graders: ReadonlyArray<GraderScore>
  /** Per-sample scores of the evaluations in paired comparisons. */
  readonly sampleScores: ReadonlyArray<SampleScore>
  /** The adversarial search's result, measured before scoring (scoring never measures). */
  readonly search: SearchScore | null
  /** For a run scored from harness logs: the logs and each scored answer beside the organism's intent. */
  readonly harness?: { readonly logs: ReadonlyArray<HarnessLogRecord>; readonly samples: ReadonlyArray<HarnessSampleRecord> } | undefined
}

/** Which organisms count: those that passed their manipulation check, in the audit's order. */
export interface Scope {
  readonly profiles: ReadonlyArray<OrganismProfile>
  readonly checkOf: ReadonlyMap<string, ManipulationCheck>
  readonly scored: ReadonlySet<string>
  /** Scored organisms in profile order: the row order of every score table. */
  readonly ordered: ReadonlyArray<string>
}

export const scopeOf = ({ audit, checks }: ScoringInput): Scope => {
  const checkOf = new Map(checks.map((c) => [c.organism, c]))
  const profiles = organismProfiles(audit)
  const ordered = profiles.filter((o) => checkOf.get(o.id)?.passed === true).map((o) => o.id)
  return { profiles, checkOf, scored: new Set(ordered), ordered }
}
