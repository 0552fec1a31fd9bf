import type { ResolvedAudit } from "../domain/audit.js"
import type { DiffableSummary } from "./summary-file.js"
import { type Proportion, wilson } from "../stats/proportion.js"
import { type DefinitionChange, definitionChanges } from "./definitions.js"

/**
 * One side of a diff: a run's summary and the resolved audit it was made from (both from the
 * store), or a summary file of either format version, which carries no definitions (null).
 */
export interface RunSide {
  readonly summary: DiffableSummary
  readonly audit: ResolvedAudit | null
}

/**
 * How a rate moved. `improved`/`worsened` only when the two Wilson 95% intervals do not
 * overlap (recomputed from the counts, so runs with different interval settings compare alike);
 * `within-noise` when the counts differ but the intervals overlap; `same` for equal counts;
 * `unmeasured` when one side has nothing to measure (n = 0), so there is nothing to compare.
 */
export type RateChange = "same" | "within-noise" | "improved" | "worsened" | "unmeasured"

export interface RateDiff {
  readonly before: Proportion
  readonly after: Proportion
  readonly change: RateChange
}

/** Sensitivity and specificity of one evaluation or trigger present in both runs. */
export interface SubjectDiff {
  readonly kind: "evaluation" | "trigger"
  readonly id: string
  readonly sensitivity: RateDiff
  readonly specificity: RateDiff
}

/** A run-level setting that differs: seed, replicates, the evalaudit version, check settings. */
export interface SettingChange {
  readonly setting: string
  readonly before: string
  readonly after: string
}

export interface RunInfo {
  readonly runId: string
  readonly audit: string
  readonly specHash: string
}

export interface RunDiff {
  readonly a: RunInfo
  readonly b: RunInfo
  readonly settings: ReadonlyArray<SettingChange>
  readonly definitions: ReadonlyArray<DefinitionChange>
  readonly subjects: ReadonlyArray<SubjectDiff>
  /** Organisms escaping the policy (in any replicate) in run B and not in run A (`new`), and the other way round (`resolved`). */
  readonly policyEscapes: { readonly new: ReadonlyArray<string>; readonly resolved: ReadonlyArray<string> }
  /** Evaluation coverage gaps (the summary's `escapes`, not the policy's verdict): in B and not A (`new`), and the other way round. */
  readonly escapes: { readonly new: ReadonlyArray<string>; readonly resolved: ReadonlyArray<string> }
  /** Changes beyond sampling noise: settings, definitions, rates whose intervals part, escapes. */
  readonly changes: number
}

interface Counts {
  readonly k: number
  readonly n: number
}

/** Compares two rates by their Wilson 95% intervals: a move counts only when the intervals are disjoint. */
export const compareRates = (counts: { readonly before: Counts; readonly after: Counts }): RateDiff => {
  const before = wilson(counts.before.k, counts.before.n)
  const after = wilson(counts.after.k, counts.after.n)
  const change: RateChange =
    before.k === after.k && before.n === after.n
      ? "same"
      : before.n === 0 || after.n === 0
        ? "unmeasured"
        : after.lower > before.upper
          ? "improved"
          : after.upper < before.lower
            ? "worsened"
            : "within-noise"
  return { before, after, change }
}

const isChange = (c: RateChange): boolean => c === "improved" || c === "worsened"

interface Scored {
  readonly id: string
  readonly sensitivity: Counts
  readonly specificity: Counts
}

const subjectDiffs = (kind: SubjectDiff["kind"], a: ReadonlyArray<Scored>, b: ReadonlyArray<Scored>): Array<SubjectDiff> => {
  const inB = new Map(b.map((s) => [s.id, s]))
  return a.flatMap((before) => {
    const after = inB.get(before.id)
    return after === undefined
      ? []
      : [
        {
          kind,
          id: before.id,
          sensitivity: compareRates({ before: before.sensitivity, after: after.sensitivity }),
          specificity: compareRates({ before: before.specificity, after: after.specificity })
        }
      ]
  })
}

const settingChanges = (a: RunSide, b: RunSide): Array<SettingChange> => {
  const pairs: ReadonlyArray<readonly [string, string, string]> = [
    ["seed", String(a.summary.seed), String(b.summary.seed)],
    ["replicates", String(a.summary.replicates), String(b.summary.replicates)],
    ["version", a.summary.version, b.summary.version],
    ["statistics", `${a.summary.statistics.interval} ${a.summary.statistics.confidence}`, `${b.summary.statistics.interval} ${b.summary.statistics.confidence}`],
    ["format", a.summary.format, b.summary.format],
    ...(a.audit === null || b.audit === null
      ? []
      : ([
        ["manipulationCheck.samples", String(a.audit.manipulationCheck.samples), String(b.audit.manipulationCheck.samples)],
        ["graderBattery.numRuns", String(a.audit.graderBattery.numRuns), String(b.audit.graderBattery.numRuns)]
      ] as const))
  ]
  return pairs.filter(([, before, after]) => before !== after).map(([setting, before, after]) => ({ setting, before, after }))
}

const info = (s: DiffableSummary): RunInfo => ({ runId: s.runId, audit: s.audit, specHash: s.specHash })

/**
 * What changed from run A to run B: run settings; evaluations, triggers and organisms added,
 * removed or changed (by the hash of each stored definition); sensitivity and specificity
 * of every evaluation and trigger both runs have; policy escapes and evaluation coverage gaps that appeared or went away.
 * Pure: two stored runs always give the same diff.
 */
export const diffRuns = (a: RunSide, b: RunSide): RunDiff => {
  const settings = settingChanges(a, b)
  // Summary files carry no definitions: only two stored runs compare them.
  const definitions = a.audit === null || b.audit === null ? [] : definitionChanges(a.audit, b.audit)
  const subjects = [
    ...subjectDiffs("trigger", a.summary.triggers, b.summary.triggers),
    ...subjectDiffs("evaluation", a.summary.evaluations, b.summary.evaluations)
  ]
  const escapes = {
    new: b.summary.escapes.filter((o) => !a.summary.escapes.includes(o)),
    resolved: a.summary.escapes.filter((o) => !b.summary.escapes.includes(o))
  }
  const escaping = (side: RunSide): ReadonlyArray<string> => side.summary.policyEscapes.map((e) => e.organism)
  const policyEscapes = {
    new: escaping(b).filter((o) => !escaping(a).includes(o)),
    resolved: escaping(a).filter((o) => !escaping(b).includes(o))
  }
  const rateChanges = subjects.reduce((n, s) => n + (isChange(s.sensitivity.change) ? 1 : 0) + (isChange(s.specificity.change) ? 1 : 0), 0)
  const changes = settings.length + definitions.length + rateChanges + policyEscapes.new.length + policyEscapes.resolved.length + escapes.new.length + escapes.resolved.length
  return { a: info(a.summary), b: info(b.summary), settings, definitions, subjects, policyEscapes, escapes, changes }
}
