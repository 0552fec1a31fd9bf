/** What scoring reads: one record of everything a run stored, and which organisms are scored. */
import type { ResolvedAudit } from "../domain/audit.js"
import type { HarnessLogRecord, HarnessSampleRecord } from "../domain/harness.js"
import type { CellResult, TriggerResult } from "../domain/outcome.js"
import type { ManipulationCheck, RunRecord, SampleScore } from "../domain/run.js"
import type { SearchScore } from "../domain/search-settings.js"
import type { GraderScore } from "../domain/summary.js"
import { organismProfiles, type OrganismProfile } from "../organisms/profile.js"
import { judge, type Judgements } from "./judge.js"

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
  /** Every scored decision judged against the truth with the indifference zones. */
  readonly judged: Judgements
  /** "Reliably caught" levels: a detection probability's lower bound must reach them. */
  readonly reliability: { readonly triggers: number; readonly evaluations: number }
}

/** Default levels: a trigger carries a commitment, so 0.9; an evaluation is one piece of evidence, so more often than not (0.5), which 5 replicates can show. */
export const DEFAULT_RELIABILITY = { triggers: 0.9, evaluations: 0.5 } as const

export const scopeOf = (input: ScoringInput): Scope => {
  const { audit, checks } = input
  const checkOf = new Map(checks.map((c) => [c.organism, c]))
  const profiles = organismProfiles(audit, checks)
  const ordered = profiles.filter((o) => checkOf.get(o.id)?.passed === true).map((o) => o.id)
  const scored = new Set(ordered)
  return {
    profiles,
    checkOf,
    scored,
    ordered,
    judged: judge(input, profiles, scored),
    reliability: {
      triggers: audit.reliability?.triggers ?? DEFAULT_RELIABILITY.triggers,
      evaluations: audit.reliability?.evaluations ?? DEFAULT_RELIABILITY.evaluations
    }
  }
}
