/**
 * The HTML memo's sections for power, bias intervals and paired comparisons, in the same
 * words as the Markdown memo (the sentence builders are shared). Each renders from the
 * summary parts it shows; the summary itself fits `StatisticsParts`, so the sections plug
 * into the memo as they are.
 */
import type { ComparisonScore } from "../../domain/statistics-summary.js"
import type { MemoSection } from "./memo-section.js"
import {
  BIAS_INTERVAL_INTRO,
  COMPARISONS_INTRO,
  POWER_INTRO,
  differenceText,
  discordantText,
  excludesZero,
  gapsOf,
  pairsText,
  powerText,
  type BiasOfEvaluation,
  type PowerOfEvaluation
} from "../sections/statistics-markdown.js"
import { html, join, type Html } from "./escape.js"

/** The summary parts these sections read: `Summary` once it carries `power`, `biasInterval` and `comparisons`. */
export interface StatisticsParts {
  readonly evaluations: ReadonlyArray<PowerOfEvaluation & BiasOfEvaluation>
  readonly comparisons?: ReadonlyArray<ComparisonScore> | undefined
}

const num = (x: number | null | undefined): string => (x === null || x === undefined || Number.isNaN(x) ? "–" : x.toFixed(2))

const signed = (x: number): string => {
  const text = x.toFixed(2)
  return text.startsWith("-") && Number(text) !== 0 ? text : `+${text.replace("-", "")}`
}

const level = (confidence: number): string => `${Number((confidence * 100).toPrecision(3))}%`

const code = (text: string): Html => html`<code>${text}</code>`

/** One sentence per evaluation; null when no evaluation carries power figures. */
export const powerHtml = (parts: StatisticsParts): Html | null => {
  const items = parts.evaluations.flatMap((e) =>
    e.power === undefined ? [] : [html`<li><strong>${e.id}</strong>: ${powerText(e.samples, e.power)}</li>\n`]
  )
  return items.length === 0 ? null : html`<p>${POWER_INTRO}</p>\n<ul>\n${items}</ul>`
}

/** The rows that have an interval, shaded when it excludes 0; null when none has (fewer than two replicates). */
export const biasIntervalsHtml = (parts: StatisticsParts): Html | null => {
  const rows = parts.evaluations.flatMap((e) =>
    e.organisms.flatMap((r) => (r.biasInterval === undefined || r.biasInterval === null ? [] : [{ evaluation: e.id, organism: r.organism, truth: r.truth, bias: r.biasInterval }]))
  )
  const first = rows[0]
  if (first === undefined) return null
  return html`<p>${BIAS_INTERVAL_INTRO} Shaded: the interval excludes 0.</p>
<div class="scroll"><table>
<thead><tr><th scope="col">evaluation</th><th scope="col">organism</th><th scope="col" class="num">true</th><th scope="col">mean bias [${level(first.bias.confidence)} CI]</th><th scope="col" class="num">replicates</th></tr></thead>
<tbody>
${rows.map((r) => {
  const systematic = excludesZero(r.bias.lower, r.bias.upper)
  return html`<tr><th scope="row">${r.evaluation}</th><td>${code(r.organism)}</td><td class="num">${num(r.truth)}</td><td class="ci-text${systematic ? " bias-large" : ""}">${signed(r.bias.mean)} [${signed(r.bias.lower)}, ${signed(r.bias.upper)}]</td><td class="num">${r.bias.replicates}</td></tr>\n`
})}</tbody>
</table></div>`
}

/** What each comparison compares, the table of differences, and the gaps; null when the audit declares none. */
export const comparisonsHtml = (parts: StatisticsParts): Html | null => {
  const comparisons = parts.comparisons ?? []
  const first = comparisons[0]
  if (first === undefined) return null
  const gaps = gapsOf(comparisons)
  return html`<p>${COMPARISONS_INTRO}</p>
<ul>
${comparisons.map((c) => html`<li><strong>${c.id}</strong>${c.title !== c.id && html` (${c.title})`}: b = ${code(c.b)} minus a = ${code(c.a)}.</li>\n`)}</ul>
<div class="scroll"><table>
<thead><tr><th scope="col">comparison</th><th scope="col">organism</th><th scope="col" class="num">a</th><th scope="col" class="num">b</th><th scope="col">difference b - a [${level(first.confidence)} CI]</th><th scope="col">pairs</th><th scope="col">discordant a only / b only</th></tr></thead>
<tbody>
${comparisons.flatMap((c) =>
  c.organisms.map((r) => {
    const gap = r.estimate !== null && excludesZero(r.estimate.lower, r.estimate.upper)
    return html`<tr><th scope="row">${c.id}</th><td>${code(r.organism)}</td><td class="num">${num(r.estimate?.meanA)}</td><td class="num">${num(r.estimate?.meanB)}</td><td class="ci-text${gap ? " bias-large" : ""}">${differenceText(r)}</td><td>${pairsText(r)}</td><td>${discordantText(r)}</td></tr>\n`
  })
)}</tbody>
</table></div>
<p>${
    gaps.length === 0
      ? "No comparison shows a gap whose interval excludes 0."
      : html`Gaps whose interval excludes 0 (shaded): ${join(gaps.map(({ comparison, row }) => html`<strong>${comparison.id}</strong> on ${code(row.organism)} (${differenceText(row)})`), "; ")}.`
  }</p>`
}

/** Power belongs after "rates" (what the rates could have been), bias intervals after "bias", comparisons after them. */
export const powerMemoSection: MemoSection = { id: "power", title: "Power at each evaluation's sample size", major: false, render: powerHtml }
export const biasIntervalsMemoSection: MemoSection = { id: "bias-intervals", title: "Bias across replicates", major: false, render: biasIntervalsHtml }
export const comparisonsMemoSection: MemoSection = { id: "comparisons", title: "Paired comparisons", major: true, render: comparisonsHtml }
