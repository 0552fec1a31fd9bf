import type { OutcomeCounts } from "../../domain/summary.js"
import { html, type Html } from "./escape.js"

/** The outcome a heatmap cell is coloured and labelled by. */
export type HeatKind = "caught" | "missed" | "false-alarm" | "precautionary" | "correct-pass" | "borderline-fired" | "borderline-quiet" | "error" | "none"

export interface HeatCell {
  readonly kind: HeatKind
  /** Replicates with the headline outcome, out of `total` replicates in the cell. */
  readonly count: number
  readonly total: number
  /** The other outcomes present, in the same order as the headline's priority. */
  readonly others: ReadonlyArray<{ readonly kind: HeatKind; readonly count: number }>
}

export const HEAT_LABEL: Readonly<Record<HeatKind, string>> = {
  caught: "caught",
  missed: "missed",
  "false-alarm": "false alarm",
  precautionary: "precautionary",
  "correct-pass": "correct pass",
  "borderline-fired": "borderline fired",
  "borderline-quiet": "borderline quiet",
  error: "error",
  none: "no cells"
}

/** A symbol beside the word, so the cell reads without colour (greyscale, print). */
const SYMBOL: Readonly<Record<HeatKind, string>> = {
  caught: "✓",
  missed: "✗",
  "false-alarm": "!",
  precautionary: "△",
  "correct-pass": "○",
  "borderline-fired": "≈",
  "borderline-quiet": "≈",
  error: "?",
  none: "–"
}

/**
 * Which outcome heads a cell: a failure whenever one occurred, so a miss in one replicate of
 * five is not hidden behind four catches; errors next (nothing was measured); then successes.
 */
const PRIORITY: ReadonlyArray<Exclude<HeatKind, "none">> = [
  "missed",
  "false-alarm",
  "error",
  "precautionary",
  "borderline-fired",
  "borderline-quiet",
  "caught",
  "correct-pass"
]

const countOf = (o: OutcomeCounts, kind: Exclude<HeatKind, "none">): number => {
  switch (kind) {
    case "caught":
      return o.caught
    case "missed":
      return o.missed
    case "false-alarm":
      return o.falseAlarm
    case "correct-pass":
      return o.correctPass
    case "precautionary":
      return o.precautionary
    case "borderline-fired":
      return o.borderlineFired
    case "borderline-quiet":
      return o.borderlineQuiet
    case "error":
      return o.error
  }
}

/** Classifies one evaluation (or trigger) x organism cell from its outcome counts over replicates. */
export const heatCell = (o: OutcomeCounts): HeatCell => {
  const present = PRIORITY.map((kind) => ({ kind, count: countOf(o, kind) })).filter((p) => p.count > 0)
  const total = present.reduce((sum, p) => sum + p.count, 0)
  const [head, ...others] = present
  if (head === undefined) return { kind: "none", count: 0, total: 0, others: [] }
  return { kind: head.kind, count: head.count, total, others }
}

/**
 * A cell's outcomes in words, the headline first: "missed 1/5, caught 4"; "–" when nothing ran.
 * Both memos print this; the HTML memo also colours the cell by `heatTdClass`.
 */
export const outcomeText = (o: OutcomeCounts): string => {
  const c = heatCell(o)
  if (c.kind === "none") return "–"
  return [`${HEAT_LABEL[c.kind]} ${c.count}/${c.total}`, ...c.others.map((x) => `${HEAT_LABEL[x.kind]} ${x.count}`)].join(", ")
}

/** The classes of a heatmap `<td>`: its headline outcome, and "partial" when other outcomes occurred too. */
export const heatTdClass = (o: OutcomeCounts): string => {
  const c = heatCell(o)
  return `heat heat-${c.kind}${c.others.length > 0 ? " partial" : ""}`
}

/** The symbol beside a cell's words, so it reads without colour. */
export const heatSymbol = (o: OutcomeCounts): string => SYMBOL[heatCell(o).kind]

/** What each outcome means; the memos state it in words, the HTML legend shows it with swatches. */
export const HEAT_LEGEND: ReadonlyArray<{ readonly kind: HeatKind; readonly meaning: string }> = [
  { kind: "caught", meaning: "should fire and did" },
  { kind: "missed", meaning: "should fire, did not" },
  { kind: "false-alarm", meaning: "fired, should not" },
  { kind: "precautionary", meaning: "a cannot-rule-out rule fired below its threshold because the data could not exclude it (not a false alarm)" },
  { kind: "correct-pass", meaning: "neither" },
  { kind: "borderline-fired", meaning: "truth inside the indifference zone, fired (neither right nor wrong)" },
  { kind: "borderline-quiet", meaning: "truth inside the indifference zone, did not fire" },
  { kind: "error", meaning: "measured nothing; never counted as caught or missed" }
]

/** The legend: one sample cell per outcome with what it means (the memo says the same in a sentence, so screen readers skip it). */
export const heatLegend = (): Html =>
  html`<ul class="legend" aria-hidden="true">${HEAT_LEGEND.map(
    (l) => html`<li><span class="heat heat-${l.kind} swatch"><span class="sym" aria-hidden="true">${SYMBOL[l.kind]}</span> ${HEAT_LABEL[l.kind]}</span> ${l.meaning}</li>`
  )}</ul>`
