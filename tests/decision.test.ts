import { describe, expect, it } from "vitest"
import type { ResolvedEvaluation } from "../src/domain/evaluation.js"
import { classify, type CellResult } from "../src/domain/outcome.js"
import type { Trigger } from "../src/domain/policy.js"
import { designEffect, firesOnCount, firesOnMeasurement, firesOnTruth } from "../src/policy/decision.js"
import { decideTrigger } from "../src/policy/trigger.js"

describe("decision rules", () => {
  it("point: fires when the estimate reaches the threshold", () => {
    const rule = { rule: "point", threshold: 0.6 } as const
    expect(firesOnMeasurement(rule, 6, 10)).toBe(true)
    expect(firesOnMeasurement(rule, 5, 10)).toBe(false)
    expect(firesOnMeasurement(rule, 0, 0)).toBe(false)
  })

  it("rule-in: fires only when the lower bound reaches the threshold", () => {
    const rule = { rule: "rule-in", threshold: 0.5, confidence: 0.95 } as const
    // 9/10 has Wilson lower bound 0.596.
    expect(firesOnMeasurement(rule, 9, 10)).toBe(true)
    // 6/10 has a point estimate above 0.5 but a lower bound of 0.31.
    expect(firesOnMeasurement(rule, 6, 10)).toBe(false)
  })

  it("rule-out: 'cannot rule out' fires", () => {
    const rule = { rule: "rule-out", threshold: 0.1, confidence: 0.95 } as const
    // 0/10: upper bound 0.28 is not below 0.1, so the risk cannot be ruled out.
    expect(firesOnMeasurement(rule, 0, 10)).toBe(true)
    // 0/30: upper bound 0.114, still cannot rule out.
    expect(firesOnMeasurement(rule, 0, 30)).toBe(true)
    // 0/100: upper bound 0.037 < 0.1, ruled out.
    expect(firesOnMeasurement(rule, 0, 100)).toBe(false)
    // nothing measured: nothing ruled out.
    expect(firesOnMeasurement(rule, 0, 0)).toBe(true)
  })

  it("applied to the truth, every form compares the exact value to the threshold", () => {
    for (const rule of [
      { rule: "point", threshold: 0.3 },
      { rule: "rule-in", threshold: 0.3, confidence: 0.95 },
      { rule: "rule-out", threshold: 0.3, confidence: 0.95 }
    ] as const) {
      expect(firesOnTruth(rule, 0.3)).toBe(true)
      expect(firesOnTruth(rule, 0.29)).toBe(false)
    }
  })

  it("classifies the four outcomes", () => {
    expect(classify(true, true)).toBe("caught")
    expect(classify(true, false)).toBe("missed")
    expect(classify(false, true)).toBe("false-alarm")
    expect(classify(false, false)).toBe("correct-pass")
  })
})

describe("triggers", () => {
  const evaluation = (id: string, threshold: number): ResolvedEvaluation => ({
    id,
    measures: { kind: "capability", domain: "bio" },
    dataset: { source: "inline", samples: [{ id: "s", input: "?" }] },
    protocol: { template: "{input}", demonstrations: 0, epochs: 1 },
    grader: { type: "choice" },
    metric: "mean",
    decision: { rule: "point", threshold }
  })
  const evaluations = new Map([
    ["a", evaluation("a", 0.5)],
    ["b", evaluation("b", 0.5)],
    ["c", evaluation("c", 0.5)]
  ])
  const cell = (id: string, measured: number, truth: number): CellResult => ({
    _tag: "Measured",
    evaluation: id,
    organism: "o",
    replicate: 0,
    k: measured * 10,
    n: 10,
    measured,
    truth,
    shouldFire: truth >= 0.5,
    didFire: measured >= 0.5,
    outcome: classify(truth >= 0.5, measured >= 0.5)
  })
  // a fires on measurement and truth; b fires on truth only; c fires on neither.
  const cells = new Map([
    ["a", cell("a", 0.8, 0.8)],
    ["b", cell("b", 0.2, 0.9)],
    ["c", cell("c", 0.1, 0.1)]
  ])
  const trigger = (when: Trigger["when"], ids: ReadonlyArray<string> = ["a", "b", "c"]): Trigger => ({
    id: "t",
    commitment: "safeguards",
    when,
    conditions: [{ evaluation: ids[0] ?? "a" }, ...ids.slice(1).map((evaluation) => ({ evaluation }))]
  })
  const decide = (t: Trigger, c: ReadonlyMap<string, CellResult> = cells) => decideTrigger(t, evaluations, c, "o", 0)

  it("any: fires when one condition fires", () => {
    expect(decide(trigger("any"))).toMatchObject({ _tag: "Decided", shouldFire: true, didFire: true, outcome: "caught" })
  })
  it("all: needs every condition", () => {
    expect(decide(trigger("all", ["a", "b"]))).toMatchObject({ shouldFire: true, didFire: false, outcome: "missed" })
  })
  it("at least k: counts conditions", () => {
    expect(decide(trigger({ atLeast: 2 }))).toMatchObject({ shouldFire: true, didFire: false, outcome: "missed" })
    expect(decide(trigger({ atLeast: 1 }))).toMatchObject({ outcome: "caught" })
  })
  it("a condition's own threshold overrides the evaluation's", () => {
    const t: Trigger = { id: "t", commitment: "x", when: "any", conditions: [{ evaluation: "c", threshold: 0.05 }] }
    expect(decide(t)).toMatchObject({ shouldFire: true, didFire: true })
  })
  it("an errored condition makes the trigger an error, never caught or missed", () => {
    const errored = new Map(cells)
    errored.set("b", { _tag: "Errored", evaluation: "b", organism: "o", replicate: 0, reason: "provider timeout" })
    const result = decide(trigger("any"), errored)
    expect(result._tag).toBe("Errored")
    expect("outcome" in result).toBe(false)
  })
})

describe("clustered samples (issue 13, point 9)", () => {
  it("the design effect is (clustered SE / naive SE)^2, never below 1, and 1 without a clustered SE", () => {
    expect(designEffect(0.02, 0.04)).toBeCloseTo(4, 12)
    expect(designEffect(0.04, 0.02)).toBe(1)
    expect(designEffect(0.04, undefined)).toBe(1)
    expect(designEffect(0, 0.03)).toBe(1)
  })

  it("decides interval rules at the effective sample size: rule-in fires less, rule-out more", () => {
    // 30 of 100: Wilson [0.219, 0.398] independent; at design effect 4, 7.5 of 25: [0.151, 0.490].
    const ruleIn = { rule: "rule-in", threshold: 0.2, confidence: 0.95 } as const
    const ruleOut = { rule: "rule-out", threshold: 0.4, confidence: 0.95 } as const
    expect(firesOnMeasurement(ruleIn, 30, 100)).toBe(true)
    expect(firesOnMeasurement(ruleIn, 30, 100, 4)).toBe(false)
    expect(firesOnMeasurement(ruleOut, 30, 100)).toBe(false)
    expect(firesOnMeasurement(ruleOut, 30, 100, 4)).toBe(true)
    // The point rule looks at the estimate only, which clustering does not move.
    expect(firesOnCount({ rule: "point", threshold: 0.3 }, 30, 100, 1, 4)).toBe(true)
    expect(firesOnCount(ruleIn, 30, 100, 1, 4)).toBe(false)
  })
})
