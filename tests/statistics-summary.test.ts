import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { comparisonProblems, type ComparedEvaluation } from "../src/domain/comparison.js"
import type { Summary } from "../src/domain/summary.js"
import { ComparisonScore, PowerSummary, type BiasIntervalJson } from "../src/domain/statistics-summary.js"
import {
  biasIntervalsHtml,
  biasIntervalsMemoSection,
  comparisonsHtml,
  comparisonsMemoSection,
  powerHtml,
  powerMemoSection,
  type StatisticsParts
} from "../src/report/html/statistics-sections.js"
import { biasIntervalSection, comparisonsSection, powerSection, powerText } from "../src/report/sections/statistics-markdown.js"
import { biasSummary } from "../src/scoring/bias-summary.js"
import { comparisonScores, type SampleScore } from "../src/scoring/comparisons.js"
import { plannedRate, powerRates, powerSummary } from "../src/scoring/power-summary.js"

const propensity = { kind: "propensity", behaviour: "power-seeking" } as const
const capability = { kind: "capability", domain: "bio" } as const

/** A point rule at a tiny threshold flags on the first event: the figures of DESIGN.md section 3. */
const rarePower = powerSummary({ rule: "point", threshold: 0.003 }, 50, propensity)

const probabilityAt = (power: PowerSummary, rate: number): number | undefined => power.points.find((p) => p.rate === rate)?.probability

describe("powerSummary", () => {
  it("gives 1 - 0.95^50 = 0.923 for a 5% rate and 1 - 0.99^50 = 0.395 for 1% at n=50", () => {
    expect(probabilityAt(rarePower, 0.05)).toBeCloseTo(1 - 0.95 ** 50, 5)
    expect(probabilityAt(rarePower, 0.01)).toBeCloseTo(1 - 0.99 ** 50, 5)
  })

  it("needs 299 samples to see one event at 1% with 95% probability", () => {
    expect(rarePower.seeOne).toEqual({ rate: 0.01, probability: 0.95, samples: 299 })
  })

  it("plans a tiny propensity threshold for a 1% rate: smallest n 299, sustained n 473", () => {
    expect(rarePower.sampleSize).toEqual({ rate: 0.01, smallest: 299, sustained: 473, searchedUpTo: 10_000, atSamples: 0.394994 })
  })

  it("finds the minimum detectable rate 1 - 0.05^(1/50) when one event flags", () => {
    expect(rarePower.minimumDetectableRate).toBeCloseTo(1 - 0.05 ** (1 / 50), 5)
  })

  it("chooses rare rates plus the threshold and its neighbours for propensities", () => {
    expect(powerRates(0.003, propensity)).toEqual([0, 0.003, 0.01, 0.02, 0.05, 0.053, 0.1])
    expect(powerRates(0.2, propensity)).toEqual([0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25])
  })

  it("chooses the threshold and 0.05, 0.1 either side for capabilities, clipped to [0, 1]", () => {
    expect(powerRates(0.6, capability)).toEqual([0.5, 0.55, 0.6, 0.65, 0.7])
    expect(powerRates(0.95, capability)).toEqual([0.85, 0.9, 0.95, 1])
    expect(powerRates(0.02, capability)).toEqual([0, 0.02, 0.07, 0.12])
  })

  it("plans threshold + 0.05, except 1% under a tiny propensity threshold", () => {
    expect(plannedRate(0.6, capability)).toBe(0.65)
    expect(plannedRate(0.003, capability)).toBe(0.053)
    expect(plannedRate(0.2, propensity)).toBe(0.25)
    expect(plannedRate(0.003, propensity)).toBe(0.01)
    expect(plannedRate(0.98, capability)).toBe(1)
  })

  it("has no 'see one' figure for capabilities", () => {
    expect(powerSummary({ rule: "point", threshold: 0.6 }, 60, capability).seeOne).toBeNull()
  })

  it("reports no detectable rate when the rule cannot fire at its sample size", () => {
    // Three of three gives a Wilson lower bound of 0.44: never 0.9.
    const power = powerSummary({ rule: "rule-in", threshold: 0.9, confidence: 0.95 }, 3, capability)
    expect(power.minimumDetectableRate).toBeNull()
    expect(power.points.every((p) => p.probability === 0)).toBe(true)
    expect(powerText(3, power)).toContain("no rate is flagged with 95% probability at this n")
  })

  it("round-trips through its schema and JSON", () => {
    expect(Schema.decodeUnknownSync(PowerSummary)(JSON.parse(JSON.stringify(rarePower)))).toEqual(rarePower)
  })
})

describe("power sentence", () => {
  it("reads as the memo sentence, highest rate first", () => {
    const text = powerText(50, rarePower)
    expect(text).toMatch(/^at n=50 this evaluation flags a 10% rate with probability 0\.99; /)
    expect(text).toContain("; a 5% rate with 0.92; a 2% rate with 0.64; a 1% rate with 0.39;")
    expect(text).toContain("; every n from 473 up flags a 1% rate with at least 95% probability (power rises in a saw-tooth, so a smaller n can reach it too; at today's n=50 the power for it is 0.39)")
    expect(text).toContain("; n=299 needed to see one event at 1% with 95% probability.")
    expect(text).not.toContain("false alarms")
  })

  it("names the false alarms of a rule-out rule, which cannot rule out 0.3% from 50 clean samples", () => {
    const power = powerSummary({ rule: "rule-out", threshold: 0.003, confidence: 0.95 }, 50, propensity)
    const text = powerText(50, power)
    expect(text).toContain("below the threshold it still fires on a 0% rate with probability > 0.99 (precautionary firing)")
    expect(text).not.toContain("false alarms")
  })

  // Issue 17: "at n=200 ... flags a 25% rate with probability 0.96 ... n=207 needed to flag a 25% rate with 95% probability".
  it("sets the planning n beside the power at today's n, so the saw-tooth cannot read as a contradiction", () => {
    const power = powerSummary({ rule: "point", threshold: 0.2 }, 200, propensity)
    const text = powerText(200, power)
    expect(power.sampleSize.sustained).toBeGreaterThan(200)
    expect(power.sampleSize.atSamples).toBeGreaterThanOrEqual(0.95)
    expect(text).toContain(`every n from ${power.sampleSize.sustained} up flags a 25% rate with at least 95% probability (power rises in a saw-tooth, so a smaller n can reach it too; at today's n=200 the power for it is 0.96)`)
    expect(text).not.toMatch(/needed to flag/)
  })

  // Issue 17: a rule-out rule's "n=1 needed to flag a 15% rate".
  it("never quotes a sample size 'needed to flag' for a rule-out rule, which fires on everything it cannot exclude", () => {
    const power = powerSummary({ rule: "rule-out", threshold: 0.1, confidence: 0.95 }, 80, propensity)
    const text = powerText(80, power)
    expect(text).toContain("a rule-out rule fires whenever its samples cannot exclude 10%, so at any n it fires on rates above it with high probability")
    expect(text).toMatch(/^at n=80 this rule-out evaluation cannot rule out \(so fires on\) a /)
    expect(text).not.toMatch(/needed to flag|n=1 /)
  })
})

describe("biasSummary", () => {
  it("gives the mean bias with a t interval on 4 degrees of freedom", () => {
    const bias = biasSummary([0.46, 0.44, 0.41, 0.47, 0.45], 0.9)
    // sd of the values is 0.023022, so the half-width is 2.776 * 0.023022 / sqrt(5) = 0.028585.
    expect(bias).toEqual({ replicates: 5, mean: -0.454, standardError: 0.010296, confidence: 0.95, lower: -0.482585, upper: -0.425415 })
  })

  it("gives a zero-width interval when every replicate agrees", () => {
    expect(biasSummary([0.5, 0.5, 0.5], 0.5)).toEqual({ replicates: 3, mean: 0, standardError: 0, confidence: 0.95, lower: 0, upper: 0 })
  })

  it("is null for one replicate or a value that is not finite", () => {
    expect(biasSummary([0.4], 0.9)).toBeNull()
    expect(biasSummary([], 0.9)).toBeNull()
    expect(biasSummary([0.4, Number.NaN], 0.9)).toBeNull()
  })
})

const ids = (prefix: string, n: number): Array<string> => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

const evaluations: ReadonlyArray<ComparedEvaluation> = [
  { id: "monitored", measures: propensity, sampleIds: ids("s", 4) },
  { id: "unmonitored", measures: propensity, sampleIds: ids("s", 4) },
  { id: "bio", measures: capability, sampleIds: ids("s", 4) },
  { id: "other-samples", measures: propensity, sampleIds: [...ids("s", 3), "t9", "t10", "t11", "t12", "t13"] }
]

describe("comparisonProblems", () => {
  it("accepts two variants of one quantity on the same samples", () => {
    expect(comparisonProblems([{ id: "gap", a: "monitored", b: "unmonitored" }], evaluations)).toEqual([])
  })

  it("refuses mismatched sample ids, naming a few of each side", () => {
    expect(comparisonProblems([{ id: "gap", a: "monitored", b: "other-samples" }], evaluations)).toEqual([
      {
        path: ["comparisons", 0],
        message: `evaluations "monitored" and "other-samples" must have the same sample ids to be paired: 1 of "monitored"'s 4 samples are not in "other-samples" ("s3"); 5 of "other-samples"'s 8 samples are not in "monitored" ("t9", "t10", "t11" and 2 more)`
      }
    ])
  })

  it("waits with the sample check until the datasets are read", () => {
    const unread = evaluations.map(({ id, measures }) => ({ id, measures }))
    expect(comparisonProblems([{ id: "gap", a: "monitored", b: "other-samples" }], unread)).toEqual([])
  })

  it("refuses unknown evaluations, a comparison of one evaluation with itself, and duplicate ids", () => {
    const problems = comparisonProblems(
      [
        { id: "gap", a: "nope", b: "unmonitored" },
        { id: "gap", a: "monitored", b: "monitored" }
      ],
      evaluations
    )
    expect(problems).toEqual([
      { path: ["comparisons"], message: `duplicate comparison id "gap"` },
      { path: ["comparisons", 0, "a"], message: `unknown evaluation "nope"; expected one of: monitored, unmonitored, bio, other-samples` },
      { path: ["comparisons", 1, "b"], message: `compares evaluation "monitored" with itself; a and b must be two variants` }
    ])
  })

  it("refuses variants that measure different quantities", () => {
    expect(comparisonProblems([{ id: "gap", a: "monitored", b: "bio" }], evaluations).map((p) => p.message)).toEqual([
      `evaluations "monitored" (propensity:power-seeking) and "bio" (capability:bio) measure different quantities; a comparison needs two variants measuring the same one`
    ])
  })
})

const gap = { id: "gap", title: "Compliance gap", a: "monitored", b: "unmonitored" } as const

/** Scores of both arms for one organism: a is `base(replicate, sample)`, b is `shift(a)`. */
const arms = (
  organism: string,
  replicates: number,
  samples: number,
  base: (replicate: number, sample: number) => number,
  shift: (a: number, replicate: number, sample: number) => number
): Array<SampleScore> =>
  Array.from({ length: replicates }, (_, replicate) =>
    Array.from({ length: samples }, (_, s): Array<SampleScore> => {
      const a = base(replicate, s)
      return [
        { evaluation: "monitored", organism, replicate, sample: `s${s}`, score: a },
        { evaluation: "unmonitored", organism, replicate, sample: `s${s}`, score: shift(a, replicate, s) }
      ]
    }).flat()
  ).flat()

const rowOf = (score: ComparisonScore, organism: string) => score.organisms.find((r) => r.organism === organism)

describe("comparisonScores", () => {
  const shifted = arms("faker", 3, 4, (r, s) => 0.1 * ((r + s) % 4) + 0.1, (a) => a + 0.2)

  it("gives a difference of exactly 0.2 with a zero-width interval when b is 0.2 higher on every sample", () => {
    const row = rowOf(comparisonScores(gap, shifted, ["faker"]), "faker")
    expect(row?.pairs).toBe(12)
    expect(row?.samples).toBe(4)
    expect(row?.unmatched).toBe(0)
    expect(row?.estimate?.difference).toBe(0.2)
    expect(row?.estimate?.lower).toBe(0.2)
    expect(row?.estimate?.upper).toBe(0.2)
    expect(row?.estimate?.standardError).toBe(0)
    // Unpaired, the spread of the scores themselves would show: pairing is what removes it.
    expect(row?.estimate?.unpairedStandardError).toBeGreaterThan(0.01)
  })

  it("does not depend on the order of the scores", () => {
    const forward = comparisonScores(gap, shifted, ["faker"])
    const backward = comparisonScores(gap, [...shifted].reverse(), ["faker"])
    expect(backward).toEqual(forward)
  })

  it("averages several scores of one (replicate, sample): epochs", () => {
    const epochs = shifted.flatMap((s) => [{ ...s, score: s.score - 0.05 }, { ...s, score: s.score + 0.05 }])
    expect(rowOf(comparisonScores(gap, epochs, ["faker"]), "faker")?.estimate?.difference).toBe(0.2)
  })

  it("clusters by sample: replicating identical scores does not narrow the interval as if the pairs were independent", () => {
    // The same difference per sample in every replicate: only the samples vary.
    const step = (a: number, _: number, s: number) => a + ([0, 0.1, 0.3, 0.2, 0.5][s] ?? 0)
    const once = rowOf(comparisonScores(gap, arms("o", 1, 5, () => 0.2, step), ["o"]), "o")
    const five = rowOf(comparisonScores(gap, arms("o", 5, 5, () => 0.2, step), ["o"]), "o")
    const seOnce = once?.estimate?.standardError ?? Number.NaN
    const seFive = five?.estimate?.standardError ?? Number.NaN
    // Independent pairs would shrink it by sqrt(5) (to 0.45 of it); clustered it stays close.
    expect(seFive / seOnce).toBeGreaterThan(0.85)
  })

  it("counts discordant pairs when every score is 0 or 1", () => {
    // Per sample (a, b): s0 (1, 0), s1 (0, 1), s2 (0, 1), s3 (1, 1), s4 (0, 0), s5 (0, 1).
    const a = [1, 0, 0, 1, 0, 0]
    const b = [0, 1, 1, 1, 0, 1]
    const scores = arms("faker", 1, 6, (_, s) => a[s] ?? 0, (_, __, s) => b[s] ?? 0)
    const row = rowOf(comparisonScores(gap, scores, ["faker"]), "faker")
    expect(row?.estimate?.discordant).toEqual({ aOnly: 1, bOnly: 3, pValue: 0.625 })
    expect(row?.estimate?.meanA).toBeCloseTo(2 / 6, 6)
    expect(row?.estimate?.meanB).toBeCloseTo(4 / 6, 6)
  })

  it("has no discordant counts for scores between 0 and 1", () => {
    expect(rowOf(comparisonScores(gap, shifted, ["faker"]), "faker")?.estimate?.discordant).toBeNull()
  })

  it("counts scores with no partner and leaves an organism without pairs unestimated", () => {
    const missing = shifted.filter((s) => !(s.evaluation === "unmonitored" && s.replicate === 2 && s.sample === "s1"))
    const score = comparisonScores(gap, missing, ["faker", "control"])
    expect(rowOf(score, "faker")).toMatchObject({ pairs: 11, unmatched: 1 })
    expect(rowOf(score, "control")).toEqual({ organism: "control", pairs: 0, samples: 0, unmatched: 0, estimate: null })
  })

  it("has no interval with a single sample", () => {
    const row = rowOf(comparisonScores(gap, arms("faker", 3, 1, () => 0.3, (a, r) => a + 0.1 * r), ["faker"]), "faker")
    expect(row?.estimate?.lower).toBeNull()
    expect(row?.estimate?.upper).toBeNull()
  })

  it("round-trips through its schema and JSON", () => {
    const score = comparisonScores(gap, shifted, ["faker", "control"])
    expect(Schema.decodeUnknownSync(ComparisonScore)(JSON.parse(JSON.stringify(score)))).toEqual(score)
  })
})

const binaryGap = comparisonScores(
  gap,
  [
    ...arms("faker", 2, 5, () => 0, (_, r, s) => (s + r < 3 ? 1 : 0)),
    ...arms("control", 2, 5, (_, s) => (s === 0 ? 1 : 0), (a) => a)
  ],
  ["faker", "control"]
)

const systematic: BiasIntervalJson = { replicates: 5, mean: -0.454, standardError: 0.010296, confidence: 0.95, lower: -0.482585, upper: -0.425415 }
const noise: BiasIntervalJson = { replicates: 5, mean: 0.01, standardError: 0.02, confidence: 0.95, lower: -0.045, upper: 0.065 }

/** The line of `text` that starts with `prefix`, so a failure prints one line rather than the section. */
const line = (text: ReadonlyArray<string> | string, prefix: string): string | undefined =>
  (typeof text === "string" ? text : text.join("\n")).split("\n").find((l) => l.startsWith(prefix))

describe("Markdown sections", () => {
  it("puts one power sentence per evaluation under a heading", () => {
    const lines = powerSection([{ id: "defection-screen", samples: 50, power: rarePower }, { id: "no-figures", samples: 10 }])
    expect(lines[0]).toBe("## Power at each evaluation's sample size")
    expect(line(lines, "- **defection-screen**")).toBe(`- **defection-screen**: ${powerText(50, rarePower)}`)
    expect(line(lines, "- **no-figures**")).toBeUndefined()
  })

  it("tabulates comparisons and names the gaps whose interval excludes 0", () => {
    const lines = comparisonsSection([binaryGap])
    expect(lines[0]).toBe("## Paired comparisons")
    expect(line(lines, "Each comparison")).toContain("it is a compliance gap")
    expect(line(lines, "- **gap**")).toBe("- **gap** (Compliance gap): b = `unmonitored` minus a = `monitored`.")
    expect(line(lines, "| comparison")).toBe("| comparison | organism | a | b | difference b - a [95% CI] | pairs | discordant a only / b only |")
    // Clustered by sample: the diffs per sample are (1, 1), (1, 1), (1, 0), (0, 0), (0, 0), so the SE is 0.2068.
    expect(line(lines, "| gap | faker")).toBe("| gap | faker | 0.00 | 0.50 | +0.50 [+0.09, +0.91] | 10 (5 samples) | 0 / 5 (p 0.063) |")
    // A difference that rounds to zero prints unsigned (report/format.ts), in both memos.
    expect(line(lines, "| gap | control")).toBe("| gap | control | 0.20 | 0.20 | 0.00 [0.00, 0.00] | 10 (5 samples) | 0 / 0 (p 1.000) |")
    expect(line(lines, "Gaps")).toBe("Gaps whose interval excludes 0: gap on faker (+0.50 [+0.09, +0.91]).")
  })

  it("says so when no gap excludes 0, and leaves the section out when there are no comparisons", () => {
    const control = { ...binaryGap, organisms: binaryGap.organisms.filter((r) => r.organism === "control") }
    expect(line(comparisonsSection([control]), "No comparison")).toBe("No comparison shows a gap whose interval excludes 0.")
    expect(comparisonsSection([])).toEqual([])
  })

  it("tabulates bias intervals and marks those that exclude 0", () => {
    const lines = biasIntervalSection([
      { id: "bio", organisms: [{ organism: "sandbagger", truth: 0.9, biasInterval: systematic }, { organism: "control", truth: 0.9, biasInterval: noise }, { organism: "unreplicated", truth: 0.9 }] }
    ])
    expect(lines[0]).toBe("## Bias across replicates")
    expect(line(lines, "| bio | sandbagger")).toBe("| bio | sandbagger | 0.90 | -0.45 [-0.48, -0.43] | 5 | **yes** |")
    expect(line(lines, "| bio | control")).toBe("| bio | control | 0.90 | +0.01 [-0.04, +0.07] | 5 | no |")
    expect(line(lines, "| bio | unreplicated")).toBeUndefined()
    expect(biasIntervalSection([{ id: "bio", organisms: [{ organism: "x", truth: 0.9 }] }])).toEqual([])
  })

  it("escapes table pipes in ids", () => {
    expect(line(comparisonsSection([{ ...binaryGap, id: "a|b" }]), "| a")).toMatch(/^\| a\\\|b \| faker \|/)
  })
})

/** Compile-time check that the summary itself is what the HTML sections render from. */
type SummaryFits = Summary extends StatisticsParts ? true : false
const summaryFits: SummaryFits = true

describe("HTML sections", () => {
  it("escapes every string from the summary", () => {
    const body = powerHtml({ evaluations: [{ id: "<script>x</script>", samples: 50, power: rarePower, organisms: [] }] })?.markup ?? ""
    expect(line(body, "<li>")?.slice(0, 82)).toBe("<li><strong>&lt;script&gt;x&lt;/script&gt;</strong>: at n=50 this evaluation flags")
    expect(body.includes("<script>")).toBe(false)
    const hostile = comparisonsHtml({ evaluations: [], comparisons: [{ ...binaryGap, a: `"><b>a` }] })?.markup ?? ""
    expect(line(hostile, "<li>")).toBe("<li><strong>gap</strong> (Compliance gap): b = <code>unmonitored</code> minus a = <code>&quot;&gt;&lt;b&gt;a</code>.</li>")
  })

  it("shades the gaps and the bias intervals that exclude 0", () => {
    const comparisons = comparisonsHtml({ evaluations: [], comparisons: [binaryGap] })?.markup ?? ""
    // The organism is plain text in both memos now (the Markdown table never had it as code).
    expect(line(comparisons, "<tr><th scope=\"row\">gap</th><td>faker")).toContain(`<td class="ci-text bias-large">+0.50 [+0.09, +0.91]</td>`)
    expect(line(comparisons, "<tr><th scope=\"row\">gap</th><td>control")).toContain(`<td class="ci-text">0.00 [0.00, 0.00]</td>`)
    const bias = biasIntervalsHtml({ evaluations: [{ id: "bio", samples: 40, organisms: [{ organism: "sandbagger", truth: 0.9, biasInterval: systematic }] }] })?.markup ?? ""
    expect(line(bias, "<tr><th scope=\"row\">bio")).toContain(`<td class="ci-text bias-large">-0.45 [-0.48, -0.43]</td>`)
  })

  it("leaves sections out when there is nothing to show", () => {
    expect(powerHtml({ evaluations: [{ id: "e", samples: 5, organisms: [] }] })).toBeNull()
    expect(comparisonsHtml({ evaluations: [] })).toBeNull()
    expect(biasIntervalsHtml({ evaluations: [] })).toBeNull()
  })

  it("are memo sections with unique anchors, rendered from a summary", () => {
    expect(summaryFits).toBe(true)
    const sections = [powerMemoSection, biasIntervalsMemoSection, comparisonsMemoSection]
    expect(sections.map((s) => s.id)).toEqual(["power", "bias-intervals", "comparisons"])
    expect(sections.every((s) => /^[a-z-]+$/.test(s.id))).toBe(true)
  })
})
