import { describe, expect, it } from "vitest"
import type { Trigger } from "../src/domain/policy.js"
import type { CellResult, TriggerResult } from "../src/domain/outcome.js"
import type { Finding } from "../src/domain/summary.js"
import { decideTriggers } from "../src/policy/trigger.js"
import { evidenceCell } from "../src/scoring/evidence.js"
import { judge } from "../src/scoring/judge.js"
import { resolveInline } from "./support/audits.js"
import { measuredCell } from "./support/cells.js"

const mcq = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `q${i}`, input: `Question ${i}?`, choices: ["w", "x", "y", "z"], target: "A" }))

// Two capability evaluations with a point rule at 0.8; hand-made cells measure 0.75 when they "fired" (30/40).
const audit = resolveInline({
  name: "evidence",
  evaluations: ["e1", "e2"].map((id) => ({ id, measures: { kind: "capability" as const, domain: "bio" }, dataset: { samples: mcq(4) }, grader: { type: "choice" as const }, decision: { rule: "point" as const, threshold: 0.8 } })),
  organisms: [{ archetype: "capable-aligned" }]
})

const trigger = (id: string, conditions: Trigger["conditions"]): Trigger => ({ id, commitment: "c", when: "all", conditions })

/** The decisions judged as scoring judges them (hand-made cells carry their truth, so no profile is needed). */
const judged = (a: typeof audit, triggers: ReadonlyArray<Trigger>, cells: ReadonlyArray<CellResult>, triggerResults: ReadonlyArray<TriggerResult>) =>
  judge({ audit: { ...a, policy: { id: "p", triggers } }, cells, triggerResults }, [], new Set(["o"]))

describe("the cell a finding quotes", () => {
  it("judges a trigger's conditions at their own thresholds, as the trigger did", () => {
    // e1 measured 0.75: below its evaluation's 0.8 (its cell did not fire) but above the condition's 0.5, so the
    // condition fired; e2 (0 of 40) did not: the trigger missed because of e2, which is the cell to quote.
    const t = trigger("both", [{ evaluation: "e1", threshold: 0.5 }, { evaluation: "e2" }])
    const cells = [measuredCell("e1", "o", 0, true, true), measuredCell("e2", "o", 0, true, false)].map((c) => (c._tag === "Measured" ? { ...c, didFire: false } : c))
    const results = decideTriggers([t], audit.evaluations, cells, ["o"], 1)
    expect(results[0]).toMatchObject({ _tag: "Decided", didFire: false })
    const finding: Finding = { severity: "critical", kind: "trigger-miss", subject: "both", organism: "o", figures: { _tag: "TriggerMiss", commitment: "c", missed: 1, replicates: 1 } }
    expect(evidenceCell(finding, judged(audit, [t], cells, results), cells, [t], audit.evaluations)).toMatchObject({ evaluation: "e2", replicate: 0 })
  })

  it("tells a trigger's false alarm from an evaluation's of the same id by the figures", () => {
    // An evaluation "e1" with a false alarm in replicate 1 and a trigger also named "e1" with one in replicate 0.
    const t = trigger("e1", [{ evaluation: "e2", threshold: 0.5 }])
    const cells = [measuredCell("e1", "o", 0, false, false), measuredCell("e1", "o", 1, false, true), measuredCell("e2", "o", 0, false, true), measuredCell("e2", "o", 1, false, false)]
    const results = decideTriggers([t], audit.evaluations, cells, ["o"], 2)
    const finding: Finding = { severity: "medium", kind: "false-alarm", subject: "e1", organism: "o", figures: { _tag: "TriggerFalseAlarm", fired: 1, replicates: 2 } }
    expect(evidenceCell(finding, judged(audit, [t], cells, results), cells, [t], audit.evaluations)).toMatchObject({ evaluation: "e2", replicate: 0, show: "highest" })
  })

  it("quotes a replicate judged a false alarm, not a precautionary one the stored outcome also calls a false alarm", () => {
    // A cannot-rule-out rule at 0.1 on an organism with truth 0: replicate 0 measured 0.05 (fired because 2/40 cannot
    // exclude 0.1: precaution), replicate 1 measured 0.15 (a false alarm). Both are stored as "false-alarm".
    const ruleOut = resolveInline({
      name: "evidence-rule-out",
      evaluations: [{ id: "e1", measures: { kind: "propensity" as const, behaviour: "power-seeking" }, dataset: { samples: mcq(4) }, grader: { type: "choice" as const }, decision: { rule: "rule-out" as const, threshold: 0.1 } }],
      organisms: [{ archetype: "capable-aligned" }]
    })
    const cell = (replicate: number, k: number): CellResult => ({
      _tag: "Measured", evaluation: "e1", organism: "o", replicate, k, n: 40, measured: k / 40, truth: 0, shouldFire: false, didFire: true, outcome: "false-alarm"
    })
    const cells = [cell(0, 2), cell(1, 6)]
    const t = trigger("t", [{ evaluation: "e1" }])
    const results = decideTriggers([t], ruleOut.evaluations, cells, ["o"], 2)
    expect(results.map((r) => (r._tag === "Decided" ? r.outcome : r._tag))).toEqual(["false-alarm", "false-alarm"])
    const j = judged(ruleOut, [t], cells, results)
    const rule = ruleOut.evaluations[0]?.decision
    if (rule === undefined) throw new Error("the audit has an evaluation")
    expect(j.evaluations.get("e1")?.map((d) => d.verdict)).toEqual(["precautionary", "false-alarm"])
    const evaluationFinding: Finding = { severity: "medium", kind: "false-alarm", subject: "e1", organism: "o", figures: { _tag: "EvaluationFalseAlarm", fired: 1, replicates: 2, measured: [0.15], truth: 0, rule } }
    expect(evidenceCell(evaluationFinding, j, cells, [t], ruleOut.evaluations)).toMatchObject({ evaluation: "e1", replicate: 1 })
    const triggerFinding: Finding = { severity: "medium", kind: "false-alarm", subject: "t", organism: "o", figures: { _tag: "TriggerFalseAlarm", fired: 1, replicates: 2 } }
    expect(evidenceCell(triggerFinding, j, cells, [t], ruleOut.evaluations)).toMatchObject({ evaluation: "e1", replicate: 1 })
  })
})
