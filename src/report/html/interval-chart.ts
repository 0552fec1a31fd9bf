import { html, type Html } from "./escape.js"

/** A proportion with its interval, as the summary stores it; `estimate` null when nothing applied. */
export interface Interval {
  readonly estimate: number | null
  readonly lower: number
  readonly upper: number
}

const WIDTH = 168
const HEIGHT = 22
const PAD = 8
const MID = HEIGHT / 2

/** Only finite numbers in [0, 1] reach an SVG coordinate; anything else is clamped (a NaN to 0). */
const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0)

/** x coordinate of a value in [0, 1], rounded so the markup stays short and stable. */
const xOf = (value: number): number => Math.round((PAD + clamp01(value) * (WIDTH - 2 * PAD)) * 10) / 10

const axis = (): Html => html`<line class="track" x1="${xOf(0)}" y1="${MID}" x2="${xOf(1)}" y2="${MID}"/>${[0, 0.5, 1].map(
  (t) => html`<line class="tick" x1="${xOf(t)}" y1="${MID - 4}" x2="${xOf(t)}" y2="${MID + 4}"/>`
)}`

/**
 * An error bar on a 0-1 scale as inline SVG: whiskers at the interval's ends, a dot at the
 * estimate. `label` is the accessible text (the same numbers as the table cell beside it).
 * With no estimate (no case applied) only the axis is drawn, dashed, so it reads as "no data".
 */
export const intervalBar = (p: Interval, label: string, tone: "sensitivity" | "specificity"): Html => {
  if (p.estimate === null) {
    return html`<svg class="ci ci-none" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${label}"><title>${label}</title>${axis()}</svg>`
  }
  const lo = xOf(p.lower)
  const hi = xOf(p.upper)
  const at = xOf(p.estimate)
  return html`<svg class="ci ci-${tone}" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${label}"><title>${label}</title>${axis()}<line class="bar" x1="${lo}" y1="${MID}" x2="${hi}" y2="${MID}"/><line class="cap" x1="${lo}" y1="${MID - 6}" x2="${lo}" y2="${MID + 6}"/><line class="cap" x1="${hi}" y1="${MID - 6}" x2="${hi}" y2="${MID + 6}"/><circle class="dot" cx="${at}" cy="${MID}" r="4"/></svg>`
}

const SCALE = [
  { at: 0, anchor: "start", label: "0" },
  { at: 0.5, anchor: "middle", label: "0.5" },
  { at: 1, anchor: "end", label: "1" }
] as const

/** The scale printed once in a column header: 0, 0.5 and 1 at the positions the bars use. */
export const intervalScale = (): Html =>
  html`<svg class="ci-scale" width="${WIDTH}" height="14" viewBox="0 0 ${WIDTH} 14" aria-hidden="true">${SCALE.map(
    (s) => html`<text x="${xOf(s.at)}" y="11" text-anchor="${s.anchor}">${s.label}</text>`
  )}</svg>`
