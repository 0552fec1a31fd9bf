import { describe, expect, it } from "vitest"
import type { Trigger } from "../src/domain/policy.js"
import type { Finding } from "../src/domain/summary.js"
import { decideTriggers } from "../src/policy/trigger.js"
import { evidenceCell } from "../src/scoring/evidence.js"
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

describe("the cell a finding quotes", () => {
  it("judges a trigger's conditions at their own thresholds, as the trigger did", () => {
    // e1 measured 0.75: below its evaluation's 0.8 (its cell did not fire) but above the condition's 0.5, so the
    // condition fired; e2 (0 of 40) did not: the trigger missed because of e2, which is the cell to quote.
    const t = trigger("both", [{ evaluation: "e1", threshold: 0.5 }, { evaluation: "e2" }])
    const cells = [measuredCell("e1", "o", 0, true, true), measuredCell("e2", "o", 0, true, false)].map((c) => (c._tag === "Measured" ? { ...c, didFire: false } : c))
    const results = decideTriggers([t], audit.evaluations, cells, ["o"], 1)
    expect(results[0]).toMatchObject({ _tag: "Decided", didFire: false })
    const finding: Finding = { severity: "critical", kind: "trigger-miss", subject: "both", organism: "o", figures: { _tag: "TriggerMiss", commitment: "c", missed: 1, replicates: 1 } }
    expect(evidenceCell(finding, cells, results, [t], audit.evaluations)).toMatchObject({ evaluation: "e2", replicate: 0 })
  })

  it("tells a trigger's false alarm from an evaluation's of the same id by the figures", () => {
    // An evaluation "e1" with a false alarm in replicate 1 and a trigger also named "e1" with one in replicate 0.
    const t = trigger("e1", [{ evaluation: "e2", threshold: 0.5 }])
    const cells = [measuredCell("e1", "o", 0, false, false), measuredCell("e1", "o", 1, false, true), measuredCell("e2", "o", 0, false, true), measuredCell("e2", "o", 1, false, false)]
    const results = decideTriggers([t], audit.evaluations, cells, ["o"], 2)
    const finding: Finding = { severity: "medium", kind: "false-alarm", subject: "e1", organism: "o", figures: { _tag: "TriggerFalseAlarm", fired: 1, replicates: 2 } }
    expect(evidenceCell(finding, cells, results, [t], audit.evaluations)).toMatchObject({ evaluation: "e2", replicate: 0, show: "highest" })
  })
})
