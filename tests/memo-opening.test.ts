import { describe, expect, it } from "vitest"
import { memoHtml } from "../src/report/memo-html.js"
import { memoMarkdown } from "../src/report/memo-markdown.js"
import { pinnedSummary } from "./support/memo-summary.js"

const controlsOnly = () => {
  const s = pinnedSummary()
  const controls = s.organisms.filter((o) => o.control).map((o) => ({ ...o, manipulationCheck: { passed: true, layers: [] }, scored: true }))
  return { ...s, organisms: controls }
}

describe("the memo's opening counts", () => {
  it("does not say controls passed a manipulation check they never had", () => {
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
    const sentence = `${passed} of ${checked.length} organisms with a defect passed their manipulation check; ${scored} of ${s.organisms.length} scored.`
    expect(checked.length).toBeGreaterThan(1)
    expect(memoMarkdown(s)).toContain(sentence)
    expect(memoHtml(s)).toContain(sentence)
  })
})
