import { describe, expect, it } from "vitest"
import { memoHtml } from "../src/report/memo-html.js"
import { memoMarkdown } from "../src/report/memo-markdown.js"
import { consoleSummary } from "../src/cli/console-table.js"
import { pinnedSummary } from "./support/memo-summary.js"

const controlsOnly = () => {
  const s = pinnedSummary()
  const controls = s.organisms.filter((o) => o.control).map((o) => ({ ...o, manipulationCheck: { passed: true, layers: [] }, scored: true }))
  return { ...s, organisms: controls }
}

describe("the memo's opening counts", () => {
  it("does not say controls passed a calibration check they never had", () => {
    const s = controlsOnly()
    expect(s.organisms.length).toBe(2)
    for (const memo of [memoMarkdown(s), memoHtml(s)]) {
      expect(memo).toContain("no organism has a defect to check; 2 of 2 scored.")
      expect(memo).not.toMatch(/2 of 2 passed/)
    }
  })

  it("counts the checked organisms of the pinned audit, controls apart", () => {
    const s = pinnedSummary()
    const checked = s.organisms.filter((o) => (o.manipulationCheck?.layers.length ?? 0) > 0)
    const passed = checked.filter((o) => o.manipulationCheck?.passed === true).length
    const scored = s.organisms.filter((o) => o.scored).length
    const sentence = `${passed} of ${checked.length} organisms with a defect passed their calibration check; ${scored} of ${s.organisms.length} scored.`
    expect(checked.length).toBeGreaterThan(1)
    expect(memoMarkdown(s)).toContain(sentence)
    expect(memoHtml(s)).toContain(sentence)
  })
})

describe("the memo's evaluation coverage line", () => {
  it("claims coverage only for the organisms it judged, and names those it did not", () => {
    // The pinned run: alignment-faker, rare-defector and grader-gamer have nothing at stake (escape null).
    const s = { ...pinnedSummary(), escapes: [] }
    const judged = s.organisms.filter((o) => o.escape !== null).length
    for (const memo of [memoMarkdown(s), memoHtml(s)]) {
      expect(memo).not.toContain("every scored organism's defect was caught")
      expect(memo).toContain(`each of the ${judged} scored organisms with a defect that some evaluation or trigger measuring it should fire on was caught by one of them in more than half the replicates`)
    }
    expect(memoMarkdown(s)).toContain("No evaluation or trigger measuring what `alignment-faker`, `rare-defector` and `grader-gamer` distort should fire on them, so coverage does not judge them.")
  })

  it("is labelled on the terminal as not the policy's verdict", () => {
    expect(consoleSummary(pinnedSummary())).toContain("evaluation coverage gaps (not the policy's verdict; see Escapes above): sycophant")
  })
})

describe("the bias table's figures", () => {
  // Issue 17: "measured 0.47 ... bias -0.42" for 0.475 and -0.425 reads as wrong arithmetic.
  it("prints enough decimals that bias = measured - true holds of the printed figures, in both memos", () => {
    const s = pinnedSummary()
    const [first, ...rest] = s.evaluations
    if (first === undefined) throw new Error("the pinned summary has no evaluation")
    const [row, ...others] = first.organisms
    if (row === undefined) throw new Error("the pinned summary's first evaluation has no organism")
    const tied = { ...s, evaluations: [{ ...first, organisms: [{ ...row, truth: 0.9, measuredMean: 0.475, bias: -0.425 }, ...others] }, ...rest] }
    for (const memo of [memoMarkdown(tied), memoHtml(tied)]) {
      expect(memo).toContain("0.475")
      expect(memo).toContain("-0.425")
      expect(memo).toContain("0.900")
    }
  })
})
