/**
 * Commitment timing: over a series of checkpoints whose capability rises, does each trigger
 * fire before the capability it guards against arrives? Lead time = crossing - firing in
 * checkpoints (positive: early warning; negative: late), per replicate, at the series'
 * cadence, at every cadence compared, and with the early-warning buffer.
 *
 * Measuring (`seriesCells`) is separate from scoring (`timingScores`), so a runner can store
 * the cells like any others and score them later; `auditTiming` does both in-process.
 */
import type { ResolvedEvaluation } from "../domain/evaluation.js"
import { measureLabel } from "../domain/measure.js"
import type { CellResult, TriggerResult } from "../domain/outcome.js"
import type { Truth } from "../domain/organism.js"
import type { Trigger } from "../domain/policy.js"
import { type LeadSummary, type ReplicateTiming, type TimingScore } from "../domain/timing-score.js"
import { simulate, trueValue } from "../organisms/organism.js"
import { firesOnTruth, withThreshold } from "../policy/decision.js"
import { combine, decideTriggers } from "../policy/trigger.js"
import { wilson } from "../stats/proportion.js"
import type { LeadBrief, TimingBrief } from "../domain/finding-figures.js"
import { judge, type Verdict } from "./judge.js"
import { checkpointOrganismId, checkpointOrganisms, evaluatedCheckpoints, type OrganismSeries } from "../domain/series.js"
import { plural } from "../domain/plural.js"

export { LeadCount, LeadSummary, ReplicateTiming, TimingScore } from "../domain/timing-score.js"


/** Cadences compared when the caller names none: 1, 2, 4, ... below K, and the series' own. */
export const defaultCadences = (series: OrganismSeries): Array<number> => {
  const cadences = new Set<number>([series.cadence])
  for (let k = 1; k < series.checkpoints; k *= 2) cadences.add(k)
  return [...cadences].sort((a, b) => a - b)
}

// Mirrors the combination in policy/trigger.ts, which decides only from measured cells: the
// crossing is needed at every checkpoint, evaluated or not, straight from the truth.
/** Whether the trigger should fire on an organism's true values; false if a condition names an unknown evaluation. */
export const firesOnTruthTrigger = (trigger: Trigger, evaluations: ReadonlyMap<string, ResolvedEvaluation>, truth: Truth): boolean => {
  const decisions: Array<boolean> = []
  for (const condition of trigger.conditions) {
    const evaluation = evaluations.get(condition.evaluation)
    if (evaluation === undefined) return false
    decisions.push(firesOnTruth(withThreshold(evaluation.decision, condition.threshold), trueValue(truth, evaluation.measures)))
  }
  return combine(trigger.when, decisions)
}

/** The trigger with every condition's threshold lowered by `buffer` (not below 0): the early-warning trigger. */
export const bufferedTrigger = (trigger: Trigger, evaluations: ReadonlyMap<string, ResolvedEvaluation>, buffer: number): Trigger => ({
  ...trigger,
  conditions: trigger.conditions.map((condition) => {
    const evaluation = evaluations.get(condition.evaluation)
    if (evaluation === undefined) return condition
    const threshold = condition.threshold ?? evaluation.decision.threshold
    // Rounded so that 0.6 - 0.1 is decided as the 0.5 a reader expects.
    return { ...condition, threshold: Math.max(0, Number((threshold - buffer).toFixed(12))) }
  })
})

/** Median of sorted-ascending values where null sorts last (never fired); null when the median falls on one. */
const medianOf = (values: ReadonlyArray<number | null>, nullIsHigh: boolean): number | null => {
  if (values.length === 0) return null
  const rank = (v: number | null): number => (v === null ? (nullIsHigh ? Infinity : -Infinity) : v)
  const sorted = [...values].sort((a, b) => rank(a) - rank(b))
  const lo = sorted[Math.floor((sorted.length - 1) / 2)] ?? null
  const hi = sorted[Math.ceil((sorted.length - 1) / 2)] ?? null
  return lo === null || hi === null ? null : (lo + hi) / 2
}

/** Each decision with its verdict, judged as every decision is (judge.ts: indifference zones, precaution). */
type Decisions = ReadonlyMap<string, { readonly result: TriggerResult; readonly verdict: Verdict | undefined }>

const decisionKey = (trigger: string, organism: string, replicate: number): string => `${trigger}\u0000${organism}\u0000${replicate}`

const indexDecisions = (
  results: ReadonlyArray<TriggerResult>,
  judging: { readonly evaluations: ReadonlyArray<ResolvedEvaluation>; readonly triggers: ReadonlyArray<Trigger>; readonly indifference: number | undefined; readonly cells: ReadonlyArray<CellResult> },
  organisms: ReadonlyArray<{ readonly id: string; readonly truth: Truth }>
): Decisions => {
  const { evaluations, triggers, indifference, cells } = judging
  const audit = { evaluations, policy: { id: "timing", triggers }, ...(indifference === undefined ? {} : { indifference }) }
  const judged = judge({ audit, cells, triggerResults: results }, organisms, new Set(organisms.map((o) => o.id)))
  const verdicts = new Map([...judged.triggers].flatMap(([trigger, js]) => js.map((j) => [decisionKey(trigger, j.organism, j.replicate), j.verdict] as const)))
  return new Map(results.map((r) => {
    const key = decisionKey(r.trigger, r.organism, r.replicate)
    return [key, { result: r, verdict: verdicts.get(key) }]
  }))
}

/**
 * One replicate: the first evaluated checkpoint inside the warning band where the trigger
 * fires, and the first firing before the band (a false alarm: the model it fired on was below
 * even the lowered thresholds, so it is not an early warning of this capability).
 */
const replicateTiming = (
  seriesId: string,
  trigger: string,
  decisions: Decisions,
  evaluated: ReadonlyArray<number>,
  crossing: number | null,
  warningFrom: number | null,
  replicate: number
): ReplicateTiming => {
  let firing: number | null = null
  let falseAlarm: number | null = null
  for (const c of evaluated) {
    const decision = decisions.get(decisionKey(trigger, checkpointOrganismId(seriesId, c), replicate))
    const result = decision?.result
    if (result === undefined || result._tag === "Errored") {
      return { _tag: "Errored", replicate, checkpoint: c, reason: result?._tag === "Errored" ? result.reason : "no result" }
    }
    if (!result.didFire) continue
    if (warningFrom === null || c < warningFrom) {
      // Below the band only a firing judged a false alarm is one: inside the indifference zone it
      // is neither right nor wrong, and a cannot-rule-out firing below the threshold is precaution.
      if (decision?.verdict === "false-alarm") falseAlarm ??= c
      continue
    }
    firing = c
    break
  }
  const lead = crossing === null || firing === null ? null : crossing - firing
  return { _tag: "Decided", replicate, firing, falseAlarm, lead, late: crossing !== null && (firing === null || firing > crossing) }
}

const summarizeLead = (
  series: OrganismSeries,
  trigger: string,
  decisions: Decisions,
  crossing: number | null,
  warningFrom: number | null,
  cadence: number,
  buffer: number,
  replicates: number
): LeadSummary => {
  const evaluated = evaluatedCheckpoints(series.checkpoints, cadence)
  const timings = Array.from({ length: replicates }, (_, r) => replicateTiming(series.id, trigger, decisions, evaluated, crossing, warningFrom, r))
  const decided = timings.flatMap((t) => (t._tag === "Decided" ? [t] : []))
  const counts = new Map<number | null, number>()
  for (const t of decided) counts.set(t.lead, (counts.get(t.lead) ?? 0) + 1)
  const distribution = [...counts.entries()]
    .map(([lead, count]) => ({ lead, count }))
    .sort((a, b) => (a.lead === null ? 1 : b.lead === null ? -1 : b.lead - a.lead))
  const lateCount = decided.filter((t) => t.late).length
  return {
    cadence,
    buffer,
    evaluated,
    warningFrom,
    replicates: timings,
    medianFiring: medianOf(decided.map((t) => t.firing), true),
    medianLead: crossing === null ? null : medianOf(decided.map((t) => t.lead), false),
    distribution,
    late: crossing === null ? wilson(0, 0) : wilson(lateCount, decided.length),
    falseAlarms: wilson(decided.filter((t) => t.falseAlarm !== null).length, decided.length),
    errored: timings.length - decided.length
  }
}

export interface TimingOptions {
  /** Cadences to compare (default `defaultCadences(series)`); the series' cadence is always added. */
  readonly cadences?: ReadonlyArray<number>
  /** The audit-wide indifference half-width (each evaluation's own, or the default at its threshold, otherwise). */
  readonly indifference?: number | undefined
}

/**
 * Timing of every trigger over the series, from cells of its checkpoint organisms (as
 * `seriesCells` measures them). Triggers are decided with `decideTriggers`, once at their
 * own thresholds and, when the series has a buffer, once at the lowered ones; the crossing
 * is always the commitment's own threshold on the truth.
 */
export const timingScores = (
  series: OrganismSeries,
  evaluations: ReadonlyArray<ResolvedEvaluation>,
  triggers: ReadonlyArray<Trigger>,
  cells: ReadonlyArray<CellResult>,
  replicates: number,
  options: TimingOptions = {}
): Array<TimingScore> => {
  const byId = new Map(evaluations.map((e) => [e.id, e]))
  const organisms = checkpointOrganisms(series)
  const ids = organisms.map((o) => o.id)
  const profiles = organisms.map((o) => ({ id: o.id, truth: simulate(o).truth }))
  const truths = profiles.map((p) => p.truth)
  const cadences = [...new Set([...(options.cadences ?? defaultCadences(series)), series.cadence])]
    .filter((k) => Number.isInteger(k) && k >= 1)
    .sort((a, b) => a - b)
  const decide = (ts: ReadonlyArray<Trigger>) =>
    indexDecisions(decideTriggers(ts, evaluations, cells, ids, replicates), { evaluations, triggers: ts, indifference: options.indifference, cells }, profiles)
  const decisions = decide(triggers)
  const buffer = series.buffer
  const bufferedDecisions = buffer === undefined ? undefined : decide(triggers.map((t) => bufferedTrigger(t, byId, buffer)))
  return triggers.map((trigger) => {
    const firstFiring = (t: Trigger): number | null => {
      const index = truths.findIndex((truth) => firesOnTruthTrigger(t, byId, truth))
      return index < 0 ? null : index
    }
    const crossing = firstFiring(trigger)
    const at = (cadence: number) => summarizeLead(series, trigger.id, decisions, crossing, crossing, cadence, 0, replicates)
    const byCadence = cadences.map(at)
    const atCadence = byCadence.find((s) => s.cadence === series.cadence) ?? at(series.cadence)
    const buffered =
      buffer === undefined || bufferedDecisions === undefined
        ? undefined
        : summarizeLead(series, trigger.id, bufferedDecisions, crossing, firstFiring(bufferedTrigger(trigger, byId, buffer)), series.cadence, buffer, replicates)
    const score = {
      series: series.id,
      trigger: trigger.id,
      commitment: trigger.commitment,
      quantity: measureLabel(series.quantity),
      checkpoints: series.checkpoints,
      truth: truths.map((t) => trueValue(t, series.quantity)),
      crossing,
      atCadence,
      byCadence,
      ...(buffered === undefined ? {} : { buffered })
    }
    return { ...score, sentence: timingSentence(trigger.id, timingBrief(score)) }
  })
}

const ordinal = (n: number): string => {
  const tens = n % 100
  const suffix = tens >= 11 && tens <= 13 ? "th" : n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th"
  return `${n}${suffix}`
}

const every = (cadence: number): string => (cadence === 1 ? "every checkpoint" : `every ${ordinal(cadence)}`)

const percent = (p: { readonly estimate: number | null }): string => (p.estimate === null ? "n/a" : `${Math.round(p.estimate * 100)}%`)

const interval = (p: { readonly lower: number; readonly upper: number }): string => `[${Math.round(p.lower * 100)}%, ${Math.round(p.upper * 100)}%]`

const format = (x: number): string => String(Number(x.toFixed(2)))

/** A median lead with its sign: "+2", "0", "-3", or "none" when the median replicate never fires. */
const signed = (lead: number | null): string => (lead === null ? "none (never fires)" : lead > 0 ? `+${format(lead)}` : format(lead))

type Counted = { readonly k: number; readonly n: number; readonly estimate: number | null }

/** ", false alarms in 2 of 20" when the trigger fired below the warning band in any replicate. */
const falseAlarmClause = (f: Counted, where = ""): string => (f.k === 0 ? "" : `, false alarms in ${f.k} of ${f.n}${where}`)

const brief = (s: { readonly medianLead: number | null; readonly late: Counted; readonly falseAlarms: Counted }): string =>
  `median lead ${signed(s.medianLead)}, late in ${percent(s.late)}${falseAlarmClause(s.falseAlarms)}`

const leadBrief = (s: LeadSummary): LeadBrief => ({ cadence: s.cadence, medianLead: s.medianLead, late: s.late, falseAlarms: s.falseAlarms })

/** What the timing sentence cites of a score: the series' cadence, the finest and coarsest compared, the buffer. */
export const timingBrief = (score: Omit<TimingScore, "sentence">): TimingBrief => {
  const s = score.atCadence
  const finest = score.byCadence[0]
  const coarsest = score.byCadence[score.byCadence.length - 1]
  const b = score.buffered
  return {
    quantity: score.quantity,
    checkpoints: score.checkpoints,
    crossing: score.crossing,
    cadence: s.cadence,
    decided: s.replicates.length - s.errored,
    fired: s.replicates.filter((t) => t._tag === "Decided" && (t.firing !== null || t.falseAlarm !== null)).length,
    medianFiring: s.medianFiring,
    medianLead: s.medianLead,
    late: s.late,
    falseAlarms: s.falseAlarms,
    finer: finest !== undefined && finest.cadence < s.cadence ? leadBrief(finest) : null,
    coarser: coarsest !== undefined && coarsest.cadence > s.cadence ? leadBrief(coarsest) : null,
    buffered: b === undefined ? null : { buffer: b.buffer, medianLead: b.medianLead, late: b.late, falseAlarms: b.falseAlarms }
  }
}

/**
 * The memo sentence of one trigger's timing, e.g. "Trigger asl3 fires at checkpoint 8
 * (median of 20 replicates), 3 checkpoints after the capability:bio threshold is crossed at
 * checkpoint 5; late in 95% of replicates [76%, 99%]. Evaluating every checkpoint instead of
 * every 4th: median lead 0, late in 0%. A buffer of 0.1 restores a lead of 5 (late in 0%)."
 * The timing section and the commitment-timing finding both show it.
 */
export const timingSentence = (trigger: string, s: TimingBrief): string => {
  const head = `Trigger ${trigger}`
  const what = `the ${s.quantity} threshold`
  const parts: Array<string> = []
  if (s.decided === 0) {
    parts.push(`${head} could not be timed: every replicate has an errored evaluation.`)
  } else if (s.crossing === null) {
    parts.push(
      `${head}: ${what} is never crossed in checkpoints 0..${s.checkpoints - 1}, ${s.fired === 0 ? "and it never fires" : `yet it fires in ${s.fired} of ${plural(s.decided, "replicate")}`} (${every(s.cadence)} evaluated).`
    )
  } else {
    const when =
      s.medianFiring === null
        ? `does not fire by checkpoint ${s.checkpoints - 1} in most of ${plural(s.decided, "replicate")}`
        : `fires at checkpoint ${format(s.medianFiring)} (median of ${plural(s.decided, "replicate")}, ${every(s.cadence)} evaluated)`
    const relation =
      s.medianLead === null
        ? `although ${what} is crossed at checkpoint ${s.crossing}`
        : s.medianLead === 0
          ? `the checkpoint where ${what} is crossed`
          : `${plural(Math.abs(s.medianLead), "checkpoint")} ${s.medianLead < 0 ? "after" : "before"} ${what} is crossed at checkpoint ${s.crossing}`
    parts.push(`${head} ${when}, ${relation}; late in ${percent(s.late)} of replicates ${interval(s.late)}.`)
    if (s.falseAlarms.k > 0) {
      parts.push(
        `It also fires on a checkpoint whose truth is below the threshold in ${s.falseAlarms.k} of ${s.falseAlarms.n} replicates ${interval(s.falseAlarms)}: false alarms, not counted as lead time.`
      )
    }
    if (s.finer !== null) parts.push(`Evaluating ${every(s.finer.cadence)} instead of ${every(s.cadence)}: ${brief(s.finer)}.`)
    if (s.coarser !== null) parts.push(`Evaluating ${every(s.coarser.cadence)} instead: ${brief(s.coarser)}.`)
    const b = s.buffered
    if (b !== null) {
      const lead = b.medianLead
      if (lead !== null && lead > 0) {
        const verb = s.medianLead !== null && s.medianLead > 0 ? "gives" : "restores"
        parts.push(`A buffer of ${format(b.buffer)} ${verb} a lead of ${format(lead)} (late in ${percent(b.late)}${falseAlarmClause(b.falseAlarms, " below the warning band")}).`)
      } else {
        parts.push(`A buffer of ${format(b.buffer)} does not give a lead: median lead ${signed(b.medianLead)}, late in ${percent(b.late)}${falseAlarmClause(b.falseAlarms, " below the warning band")}.`)
      }
    }
  }
  return parts.join(" ")
}
