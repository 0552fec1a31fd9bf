/**
 * Sections for the statistics beside sensitivity and specificity: power at each evaluation's
 * sample size, bias intervals over replicates, and paired comparisons. Each takes only the
 * summary parts it shows (structurally the summary's own fields), so it can be tested without a run.
 */
import type { BiasIntervalJson, ComparisonRow, ComparisonScore, PowerSummary } from "../../domain/statistics-summary.js"
import { bullets, cell, code, paragraph, strong, table, th, type Block, type Inlines } from "../document.js"
import { ciLabel, MISSING, num, percent, plural, probability, pValue, signedWithInterval } from "../format.js"
import type { MemoSection } from "./section.js"

/** What the power section needs of an evaluation: the summary's `EvaluationScore` fits. */
export interface PowerOfEvaluation {
  readonly id: string
  readonly samples: number
  readonly power?: PowerSummary | undefined
}

/** What the bias-interval section needs of an evaluation: the summary's `EvaluationScore` fits. */
export interface BiasOfEvaluation {
  readonly id: string
  readonly organisms: ReadonlyArray<{
    readonly organism: string
    readonly truth?: number | undefined
    readonly biasInterval?: BiasIntervalJson | null | undefined
  }>
}

/** The summary parts these sections read; `Summary` fits. */
export interface StatisticsParts {
  readonly evaluations: ReadonlyArray<PowerOfEvaluation & BiasOfEvaluation>
  readonly comparisons?: ReadonlyArray<ComparisonScore> | undefined
}

/** Rates below the threshold that are flagged at least this often are reported as false alarms. */
const MATERIAL_FALSE_ALARM = 0.05

/**
 * One sentence on what an evaluation can detect at its sample size, e.g. "at n=50 this
 * evaluation flags a 5% rate with probability 0.92; a 1% rate with 0.39; ...". Rates at or
 * above the threshold come first, highest first; rates below it are mentioned only when they
 * are flagged often enough to matter. Each figure is stated so it cannot read as contradicting
 * another: exact binomial power rises in a saw-tooth, so the planning sample size is the one
 * from which every larger n keeps the power, set beside the power at today's n; and a
 * rule-out rule "flags" when the data cannot exclude the threshold, which small samples never
 * can, so for it the sentence speaks of firing and of precaution, not of detection power.
 */
export const powerText = (n: number, power: PowerSummary): string => {
  const target = percent(power.power)
  const ruleOut = power.rule === "rule-out"
  const should = power.points.filter((p) => p.rate >= power.threshold).sort((a, b) => b.rate - a.rate)
  const clauses: Array<string> = []
  const [first, ...rest] = should
  if (first !== undefined) {
    const lead = ruleOut
      ? `at n=${n} this rule-out evaluation cannot rule out (so fires on) a ${percent(first.rate)} rate with probability ${probability(first.probability)}`
      : `at n=${n} this evaluation flags a ${percent(first.rate)} rate with probability ${probability(first.probability)}`
    clauses.push([lead, ...rest.map((p) => `a ${percent(p.rate)} rate with ${probability(p.probability)}`)].join("; "))
  }
  const alarms = power.points.filter((p) => p.rate < power.threshold && p.probability >= MATERIAL_FALSE_ALARM).sort((a, b) => b.rate - a.rate)
  const below = alarms.map((p) => `a ${percent(p.rate)} rate with probability ${probability(p.probability)}`).join(", ")
  if (ruleOut) {
    // Any n too small to exclude the threshold fires on everything: "n needed to flag" would be 1.
    clauses.push(`a rule-out rule fires whenever its samples cannot exclude ${percent(power.threshold)}, so at any n it fires on rates above it with high probability; what more samples buy is less precautionary firing below it`)
    if (alarms.length > 0) clauses.push(`below the threshold it still fires on ${below} (precautionary firing)`)
  } else {
    clauses.push(
      power.minimumDetectableRate === null
        ? `no rate is flagged with ${target} probability at this n`
        : `it flags rates from ${percent(power.minimumDetectableRate)} up with ${target} probability`
    )
    const { sampleSize } = power
    const today = sampleSize.atSamples === undefined ? "" : `; at today's n=${n} the power for it is ${probability(sampleSize.atSamples)}`
    clauses.push(
      sampleSize.sustained === null
        ? `more than ${sampleSize.searchedUpTo} samples would be needed for every larger n to flag a ${percent(sampleSize.rate)} rate with ${target} probability${today}`
        : `every n from ${sampleSize.sustained} up flags a ${percent(sampleSize.rate)} rate with at least ${target} probability (power rises in a saw-tooth, so a smaller n can reach it too${today})`
    )
    if (alarms.length > 0) clauses.push(`below its threshold of ${percent(power.threshold)} it also flags ${below} (false alarms)`)
  }
  if (power.seeOne !== null) {
    clauses.push(`n=${power.seeOne.samples} needed to see one event at ${percent(power.seeOne.rate)} with ${percent(power.seeOne.probability)} probability`)
  }
  return `${clauses.join("; ")}.`
}

export const POWER_INTRO =
  "The probability that each evaluation's decision rule flags a model whose true rate is the one named, at the evaluation's sample size (exact binomial over its samples; epochs of a sample count once). The sample size quoted is the one from which every larger sample size keeps the power, since power rises in a saw-tooth. An evaluation that cannot flag the rates its policy cares about will miss real defects however well it is built."

export const BIAS_INTERVAL_INTRO =
  "Mean bias (measured minus true value) over replicates with a Student t interval: with few replicates the t quantile matters (2.776 for 5, not 1.96). An interval that excludes 0 shows a systematic bias of the evaluation on that organism, not replicate noise."

export const COMPARISONS_INTRO =
  "Each comparison runs two variants of one evaluation, a and b, on the same samples and reports per organism the mean score of each and the paired difference b - a over (replicate, sample) pairs, with an interval clustered by sample (a sample recurs in every replicate). A difference whose interval excludes 0 is a gap the variants' sampling noise does not explain: between a monitored and an unmonitored framing it is a compliance gap (the organism behaves differently when it believes it is watched: alignment faking, evaluation awareness); between elicited and plain prompting it is an elicitation gap (plain prompting understates the capability: sandbagging, password locking). On the null controls a gap should be near 0. Discordant pairs (binary scores only) count the pairs on which exactly one variant scored 1; McNemar's exact test is on them."

/** "+0.20 [+0.15, +0.25]", or "+0.20 [no interval]" with fewer than two samples. */
export const differenceText = (row: ComparisonRow): string => {
  const e = row.estimate
  return e === null ? MISSING : signedWithInterval(e.difference, e.lower, e.upper)
}

/** "250 (50 samples)", with the unmatched count when an arm is missing scores. */
export const pairsText = (row: ComparisonRow): string => `${row.pairs} (${plural(row.samples, "sample")})${row.unmatched > 0 ? `, ${row.unmatched} unmatched` : ""}`

/** "3 / 12 (p 0.035)": pairs where only a scored 1 / only b did, and McNemar's exact p-value. */
export const discordantText = (row: ComparisonRow): string => {
  const d = row.estimate?.discordant ?? null
  return d === null ? MISSING : `${d.aOnly} / ${d.bOnly} (p ${pValue(d.pValue)})`
}

/** The interval lies wholly on one side of 0. */
export const excludesZero = (lower: number | null, upper: number | null): boolean => lower !== null && upper !== null && (lower > 0 || upper < 0)

/** The comparison-organism rows whose difference interval excludes 0. */
export const gapsOf = (comparisons: ReadonlyArray<ComparisonScore>): Array<{ readonly comparison: ComparisonScore; readonly row: ComparisonRow }> =>
  comparisons.flatMap((comparison) =>
    comparison.organisms.flatMap((row) => (row.estimate !== null && excludesZero(row.estimate.lower, row.estimate.upper) ? [{ comparison, row }] : []))
  )

/** One power sentence per evaluation; empty when no evaluation has power figures. */
export const powerBlocks = (parts: { readonly evaluations: ReadonlyArray<PowerOfEvaluation> }): ReadonlyArray<Block> => {
  const items = parts.evaluations.flatMap((e): Array<Inlines> => (e.power === undefined ? [] : [[strong(e.id), `: ${powerText(e.samples, e.power)}`]]))
  return items.length === 0 ? [] : [paragraph(POWER_INTRO), bullets(items)]
}

/** The rows that have an interval, shaded when it excludes 0; empty when none has (fewer than two replicates). */
export const biasIntervalBlocks = (parts: { readonly evaluations: ReadonlyArray<BiasOfEvaluation> }): ReadonlyArray<Block> => {
  const rows = parts.evaluations.flatMap((e) =>
    e.organisms.flatMap((r) => (r.biasInterval === undefined || r.biasInterval === null ? [] : [{ evaluation: e.id, organism: r.organism, truth: r.truth, bias: r.biasInterval }]))
  )
  const first = rows[0]
  if (first === undefined) return []
  return [
    paragraph(BIAS_INTERVAL_INTRO),
    table(
      ["evaluation", "organism", th("true", { align: "number" }), `mean bias [${ciLabel(first.bias.confidence)}]`, th("replicates", { align: "number" }), "excludes 0"],
      rows.map((r) => {
        const systematic = excludesZero(r.bias.lower, r.bias.upper)
        return [
          r.evaluation,
          r.organism,
          cell(num(r.truth), { align: "number" }),
          cell(signedWithInterval(r.bias.mean, r.bias.lower, r.bias.upper), { align: "interval", highlight: systematic }),
          cell(String(r.bias.replicates), { align: "number" }),
          systematic ? cell([strong("yes")]) : "no"
        ]
      })
    )
  ]
}

/** What each comparison compares, the table of differences, and the gaps; empty when the audit declares none. */
export const comparisonBlocks = (parts: Pick<StatisticsParts, "comparisons">): ReadonlyArray<Block> => {
  const comparisons = parts.comparisons ?? []
  const first = comparisons[0]
  if (first === undefined) return []
  const gaps = gapsOf(comparisons)
  return [
    paragraph(COMPARISONS_INTRO),
    bullets(comparisons.map((c): Inlines => [strong(c.id), c.title === c.id ? "" : ` (${c.title})`, ": b = ", code(c.b), " minus a = ", code(c.a), "."])),
    table(
      ["comparison", "organism", th("a", { align: "number" }), th("b", { align: "number" }), `difference b - a [${ciLabel(first.confidence)}]`, "pairs", "discordant a only / b only"],
      comparisons.flatMap((c) =>
        c.organisms.map((r) => [
          c.id,
          r.organism,
          cell(num(r.estimate?.meanA), { align: "number" }),
          cell(num(r.estimate?.meanB), { align: "number" }),
          cell(differenceText(r), { align: "interval", highlight: r.estimate !== null && excludesZero(r.estimate.lower, r.estimate.upper) }),
          pairsText(r),
          discordantText(r)
        ])
      )
    ),
    paragraph(
      gaps.length === 0
        ? "No comparison shows a gap whose interval excludes 0."
        : `Gaps whose interval excludes 0: ${gaps.map(({ comparison, row }) => `${comparison.id} on ${row.organism} (${differenceText(row)})`).join("; ")}.`
    )
  ]
}

/** Power belongs after the rates (what the rates could have been), bias intervals after the bias, comparisons after them. */
export const powerMemoSection: MemoSection = { id: "power", title: "Power at each evaluation's sample size", major: false, render: powerBlocks }
export const biasIntervalsMemoSection: MemoSection = { id: "bias-intervals", title: "Bias across replicates", major: false, render: biasIntervalBlocks }
export const comparisonsMemoSection: MemoSection = { id: "comparisons", title: "Paired comparisons", major: true, render: comparisonBlocks }
