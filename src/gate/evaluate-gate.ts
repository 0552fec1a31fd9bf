import type { GateJudgement, GateSettings, Limits, SubjectLimits } from "../domain/gate.js"
import type { Summary } from "../domain/summary.js"
import { num, plural, proportion } from "../report/format.js"
import { own } from "../domain/records.js"

type Proportion = Summary["evaluations"][number]["sensitivity"]

export type GateRuleKind = "complete" | "min-sensitivity" | "max-false-alarm-rate" | "no-escapes" | "no-grader-faults" | "no-errors"

/** One rule applied to one subject: what was required, what the run shows, and the verdict. */
export interface GateCheck {
  readonly kind: GateRuleKind
  /** "trigger asl3", "evaluation bio-mcq", or "run" for run-wide rules. */
  readonly subject: string
  readonly verdict: "PASS" | "FAIL"
  /** The requirement in words: "sensitivity of trigger asl3 >= 0.80 (lower bound)". */
  readonly rule: string
  /** The run's figures behind the verdict. */
  readonly figures: string
  readonly limit: number | null
  /** The figure compared with the limit; null when there was nothing to judge. */
  readonly value: number | null
}

export interface GateReport {
  readonly verdict: "PASS" | "FAIL"
  readonly on: GateJudgement
  /** The intervals bounds were judged on: the run's own setting ("wilson 95%"). */
  readonly intervals: string
  readonly checks: ReadonlyArray<GateCheck>
}

/** The subjects a gate may name, to refuse a misspelt id instead of silently gating nothing. */
export interface GateSubjects {
  readonly evaluations: ReadonlyArray<string>
  readonly triggers: ReadonlyArray<string>
  readonly organisms: ReadonlyArray<string>
}

const verdict = (passed: boolean): "PASS" | "FAIL" => (passed ? "PASS" : "FAIL")

/** The limit for one subject: its own override, else the default for its kind. */
const limitFor = (limits: SubjectLimits | undefined, id: string): number | undefined =>
  own(limits?.overrides, id) ?? limits?.default

const kinds = ["triggers", "evaluations"] as const

const rateRules = (settings: GateSettings): ReadonlyArray<readonly [string, Limits | undefined]> => [
  ["minSensitivity", settings.minSensitivity],
  ["maxFalseAlarmRate", settings.maxFalseAlarmRate]
]

/**
 * Settings that name subjects the run does not have, or that set no rule at all: both are
 * configuration mistakes, reported as bad input rather than as a gate that passes.
 */
export const gateProblems = (subjects: GateSubjects, settings: GateSettings): ReadonlyArray<string> => {
  const problems: Array<string> = []
  for (const [name, limits] of rateRules(settings)) {
    for (const kind of kinds) {
      const known = subjects[kind]
      for (const id of Object.keys(limits?.[kind]?.overrides ?? {})) {
        if (!known.includes(id)) problems.push(`${name}.${kind}: unknown ${kind.slice(0, -1)} "${id}"; expected one of: ${known.join(", ") || "(none)"}`)
      }
    }
  }
  if (Array.isArray(settings.noEscapes)) {
    for (const id of settings.noEscapes) {
      if (!subjects.organisms.includes(id)) problems.push(`noEscapes: unknown organism "${id}"; expected one of: ${subjects.organisms.join(", ")}`)
    }
  }
  const hasRate = rateRules(settings).some(([, limits]) =>
    kinds.some((kind) => limits?.[kind]?.default !== undefined || Object.keys(limits?.[kind]?.overrides ?? {}).length > 0)
  )
  const hasOther = (settings.noEscapes !== undefined && settings.noEscapes !== false) || settings.noGraderFaults === true || settings.noErrors === true
  if (!hasRate && !hasOther) problems.push("no gate rules: set thresholds in the audit's gate section or on the command line")
  return problems
}

const sensitivityCheck = (subject: string, p: Proportion, limit: number, on: GateJudgement): GateCheck => {
  const rule = `sensitivity of ${subject} >= ${num(limit)} (${on === "bound" ? "lower bound" : "point estimate"})`
  // Computed from the counts, so 8/10 against 0.8 is exactly equal rather than a rounding away.
  const value = p.n === 0 ? null : on === "bound" ? p.lower : p.k / p.n
  const figures = p.n === 0 ? "– (0/0): no organism it should fire on, nothing to judge" : proportion(p)
  return { kind: "min-sensitivity", subject, verdict: verdict(value !== null && value >= limit), rule, figures, limit, value }
}

const falseAlarmCheck = (subject: string, specificity: Proportion, limit: number, on: GateJudgement): GateCheck => {
  const rule = `false alarm rate of ${subject} <= ${num(limit)} (${on === "bound" ? "upper bound" : "point estimate"})`
  const n = specificity.n
  const alarms = n - specificity.k
  // The false alarm rate is 1 - specificity; its interval is the specificity's, mirrored.
  const rate = { k: alarms, n, lower: 1 - specificity.upper, upper: 1 - specificity.lower }
  const value = n === 0 ? null : on === "bound" ? rate.upper : alarms / n
  const figures = n === 0 ? "– (0/0): no organism it should pass, nothing to judge" : proportion(rate)
  return { kind: "max-false-alarm-rate", subject, verdict: verdict(value !== null && value <= limit), rule, figures, limit, value }
}

interface Scored {
  readonly id: string
  readonly sensitivity: Proportion
  readonly specificity: Proportion
}

const rateChecks = (label: string, subjects: ReadonlyArray<Scored>, settings: GateSettings, kind: (typeof kinds)[number], on: GateJudgement) =>
  subjects.flatMap((s) => {
    const subject = `${label} ${s.id}`
    const min = limitFor(settings.minSensitivity?.[kind], s.id)
    const max = limitFor(settings.maxFalseAlarmRate?.[kind], s.id)
    return [
      ...(min === undefined ? [] : [sensitivityCheck(subject, s.sensitivity, min, on)]),
      ...(max === undefined ? [] : [falseAlarmCheck(subject, s.specificity, max, on)])
    ]
  })

/**
 * Escapes in any replicate, stricter than the summary's `escapes` list (organisms escaping
 * in at least half): a gate should not pass a defect that got through even once. An
 * organism in scope that was not scored (failed or never ran its manipulation check) fails
 * the rule: the gate cannot vouch that it does not escape.
 */
const escapeCheck = (summary: Summary, scope: true | ReadonlyArray<string>): GateCheck => {
  const inScope = summary.organisms.filter((o) => scope === true || scope.includes(o.id))
  const unscored = inScope.filter((o) => !o.scored)
  const atStake = inScope.filter((o) => o.scored && o.escape !== null)
  const escaped = atStake.filter((o) => o.escape !== null && o.escape.escaped > 0)
  const problems = [
    ...escaped.map((o) => `${o.id} escaped ${o.escape?.escaped ?? 0} of ${o.escape?.replicates ?? 0} replicates`),
    ...unscored.map((o) => `${o.id} not scored (${o.manipulationCheck === null ? "not checked yet" : "failed its manipulation check"})`)
  ]
  const scopeText = scope === true ? "any organism" : scope.join(", ")
  return {
    kind: "no-escapes",
    subject: "run",
    verdict: verdict(problems.length === 0),
    rule: `no escapes (${scopeText}, in any replicate)`,
    figures: problems.length === 0 ? `0 of ${atStake.length} organisms at stake escaped` : problems.join("; "),
    limit: 0,
    value: escaped.length + unscored.length
  }
}

const graderCheck = (summary: Summary): GateCheck => {
  const failed = summary.graders.filter((g) => !g.passed)
  const ran = summary.graders.length > 0
  const figures = !ran
    ? "the grader battery did not run (graderBattery.numRuns 0), so no grader was checked"
    : failed.length === 0
      ? `${plural(summary.graders.length, "grader")} passed the battery`
      : failed
          .map((g) => `${g.grader} fails ${g.properties.filter((p) => p._tag === "Failed").map((p) => p.property).join(", ") || "the battery"}`)
          .join("; ")
  return { kind: "no-grader-faults", subject: "run", verdict: verdict(ran && failed.length === 0), rule: "no grader faults", figures, limit: 0, value: ran ? failed.length : null }
}

const errorCheck = (summary: Summary): GateCheck => {
  const withErrors = summary.evaluations.filter((e) => e.errors > 0)
  const total = withErrors.reduce((sum, e) => sum + e.errors, 0)
  const figures = total === 0 ? "0 errored cells" : `${total} errored cells (${withErrors.map((e) => `${e.id} ${e.errors}`).join(", ")})`
  return { kind: "no-errors", subject: "run", verdict: verdict(total === 0), rule: "no errored cells", figures, limit: 0, value: total }
}

/** An incomplete run is judged on part of its cells; it never passes a gate. */
const completeCheck = (summary: Summary): GateCheck => ({
  kind: "complete",
  subject: "run",
  verdict: verdict(summary.complete),
  rule: "run complete",
  figures: summary.complete ? "every cell measured" : `incomplete: resume it with evalaudit run <audit> --run-id ${summary.runId}`,
  limit: null,
  value: null
})

/**
 * Applies a gate's rules to a run's summary. Pure: the same summary and settings always give
 * the same report. The run must be complete, then every configured rule holds, in this
 * order: sensitivity and false alarm limits per trigger and evaluation, escapes, grader
 * faults, errored cells.
 */
export const evaluateGate = (summary: Summary, settings: GateSettings): GateReport => {
  const on = settings.on ?? "bound"
  const checks: Array<GateCheck> = [
    completeCheck(summary),
    ...rateChecks("trigger", summary.triggers, settings, "triggers", on),
    ...rateChecks("evaluation", summary.evaluations, settings, "evaluations", on),
    ...(settings.noEscapes === undefined || settings.noEscapes === false ? [] : [escapeCheck(summary, settings.noEscapes)]),
    ...(settings.noGraderFaults === true ? [graderCheck(summary)] : []),
    ...(settings.noErrors === true ? [errorCheck(summary)] : [])
  ]
  const intervals = `${summary.statistics.interval} ${Math.round(summary.statistics.confidence * 1000) / 10}%`
  return { verdict: verdict(checks.every((c) => c.verdict === "PASS")), on, intervals, checks }
}
