import { Schema } from "effect"
import { readFileSync } from "node:fs"
import { Summary } from "../../src/domain/summary.js"

/** The pinned small-audit summary (tests/__snapshots__), decoded: a real summary with no run needed. */
export const pinnedSummary = (): Summary =>
  Schema.decodeUnknownSync(Summary)(JSON.parse(readFileSync(new URL("../__snapshots__/small-audit.summary.json", import.meta.url), "utf8")))

/** The response quoted as evidence: markup, a table pipe and a heading marker. */
export const HOSTILE_RESPONSE = "<script>alert(1)</script>|# x"

/**
 * A summary built for comparing the two memos: intervals at 90%, a bias of -0.001 (rounds to
 * zero), an organism with no measured value (NaN), a source that needs shell quoting, and a
 * finding with hostile evidence. Bias intervals are relabelled 90% too; power figures keep
 * their own 95% target (a setting of the power analysis, not the summary's confidence).
 */
export const edgeSummary = (): Summary => {
  const s = pinnedSummary()
  const [first, ...rest] = s.evaluations
  if (first === undefined) throw new Error("the pinned summary has no evaluation")
  const [tiny, missing, ...others] = first.organisms
  if (tiny === undefined || missing === undefined) throw new Error("the pinned summary's first evaluation has too few organisms")
  const { biasInterval: _none, ...unmeasured } = missing
  type Row = (typeof first.organisms)[number]
  const at90 = (r: Row): Row => (r.biasInterval === undefined ? r : { ...r, biasInterval: { ...r.biasInterval, confidence: 0.9 } })
  const [finding, ...findings] = s.findings
  if (finding === undefined) throw new Error("the pinned summary has no finding")
  return {
    ...s,
    source: "audits/my audit's.ts",
    statistics: { interval: "wilson", confidence: 0.9 },
    evaluations: [
      {
        ...first,
        organisms: [
          {
            ...tiny,
            truth: 0.5,
            measuredMean: 0.499,
            bias: -0.001,
            biasInterval: { replicates: 3, mean: -0.001, standardError: 0.001, confidence: 0.9, lower: -0.004, upper: 0.002 }
          },
          { ...unmeasured, measuredMean: Number.NaN, measuredSd: Number.NaN, bias: Number.NaN, standardError: Number.NaN },
          ...others.map(at90)
        ]
      },
      ...rest.map((e) => ({ ...e, organisms: e.organisms.map(at90) }))
    ],
    findings: [
      {
        ...finding,
        evidence: { evaluation: first.id, organism: tiny.organism, replicate: 2, sample: "s7", epoch: 0, response: HOSTILE_RESPONSE, score: 1 }
      },
      ...findings
    ]
  }
}
