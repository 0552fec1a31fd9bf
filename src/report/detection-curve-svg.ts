import type { SweepPoint, SweepScore } from "../domain/summary.js"
import { html, type Html } from "./html/escape.js"
import { DETECTION_PROBABILITY } from "../scoring/sweeps.js"

const WIDTH = 640
const HEIGHT = 320
const MARGIN = { left: 56, right: 180, top: 20, bottom: 44 }
const PALETTE = ["#1f5f99", "#b3471d", "#2e7d32", "#6a3d9a", "#8c6d1f", "#c2185b", "#00838f", "#455a64"]
// Dash patterns as well as colours, so the curves stay apart when printed in grey.
const DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4", "3 6"]

const format = (v: number): string => (Math.abs(v) >= 1e-4 || v === 0 ? String(Number(v.toPrecision(3))) : v.toExponential(1))

/**
 * A sweep's detection curves as a standalone SVG: the parameter on x (log-scaled when the
 * grid spans more than a factor of 20), P(fires) on y, per evaluation and trigger one line
 * through the values where it should fire (detection) and a thin one through those where it
 * should not (false alarms), squares at borderline values (truth inside the indifference zone:
 * neither), diamonds at precautionary firing rates, a dotted line of the exact power at the truth where the
 * evaluation is a plain binomial test, and the 95% line of the detection threshold. Built with
 * the escaping `html` tag: ids and titles come from the audit file.
 */
export const detectionCurveSvg = (sweep: SweepScore, options: { readonly standalone: boolean } = { standalone: true }): Html => {
  const values = sweep.values
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  const log = lo > 0 && hi / lo > 20
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const scale = (v: number): number => (log ? Math.log(v) : v)
  const span = scale(hi) - scale(lo) || 1
  const x = (v: number): number => MARGIN.left + ((scale(v) - scale(lo)) / span) * plotW
  const y = (p: number): number => MARGIN.top + (1 - p) * plotH
  const round = (n: number): number => Math.round(n * 10) / 10
  const polyline = (points: ReadonlyArray<SweepPoint>, rate: (p: SweepPoint) => number | null): string =>
    points.flatMap((p) => {
      const r = rate(p)
      return r === null ? [] : [`${round(x(p.value))},${round(y(r))}`]
    }).join(" ")
  const subjects = sweep.subjects.map((s, i) => ({
    ...s,
    colour: PALETTE[i % PALETTE.length] ?? "#000",
    // Colour and dash both vary, so curves that coincide (a trigger and its one evaluation) stay visible.
    dash: DASHES[i % DASHES.length] ?? "",
    path: polyline(s.points, (p) => (p.class === "should-fire" ? p.detection.estimate : null)),
    alarms: polyline(s.points, (p) => (p.class === "should-not-fire" ? p.falseAlarm.estimate : null)),
    power: polyline(s.points, (p) => p.power)
  }))
  // Borderline and precautionary points are marked apart: neither is a detection or a false alarm.
  const marker = (p: SweepPoint, colour: string): ReadonlyArray<Html> => {
    const cx = round(x(p.value))
    const at = (rate: number) => round(y(rate))
    const d = p.detection.estimate
    if (p.class === "borderline") return d === null ? [] : [html`<rect x="${cx - 3}" y="${at(d) - 3}" width="6" height="6" fill="#ffffff" stroke="${colour}"/>`]
    if (p.class === "should-fire") return d === null ? [] : [html`<circle cx="${cx}" cy="${at(d)}" r="3" fill="${colour}" stroke="${colour}"/>`]
    const f = p.falseAlarm.estimate
    const q = p.precautionary.estimate
    return [
      ...(f === null ? [] : [html`<circle cx="${cx}" cy="${at(f)}" r="3" fill="#ffffff" stroke="${colour}"/>`]),
      ...(q === null || p.precautionary.k === 0 ? [] : [html`<path d="${`M${cx},${at(q) - 4}L${cx + 4},${at(q)}L${cx},${at(q) + 4}L${cx - 4},${at(q)}Z`}" fill="#ffffff" stroke="${colour}"/>`])
    ]
  }
  const points = sweep.subjects.flatMap((s) => s.points)
  const legend = [
    ...(points.some((p) => p.class === "borderline") ? ["square: borderline"] : []),
    ...(points.some((p) => p.precautionary.k > 0) ? ["diamond: precautionary"] : [])
  ]
  // A standalone .svg file needs its namespace; inline in the HTML memo it needs none (and the memo names no URL).
  const namespace = options.standalone ? html` xmlns="http://www.w3.org/2000/svg"` : null
  return html`<svg${namespace} viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${`Detection curves over ${sweep.parameter}`}" font-family="sans-serif" font-size="11">
<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>
<title>${`${sweep.title}: detection probability against ${sweep.parameter} (${sweep.archetype})`}</title>
${[0, 0.25, 0.5, 0.75, 1].map((p) => html`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${round(y(p))}" y2="${round(y(p))}" stroke="#e0e0e0"/><text x="${MARGIN.left - 6}" y="${round(y(p)) + 4}" text-anchor="end">${format(p)}</text>`)}
<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${round(y(DETECTION_PROBABILITY))}" y2="${round(y(DETECTION_PROBABILITY))}" stroke="#555" stroke-dasharray="4 3"/>
<text x="${MARGIN.left + plotW - 2}" y="${round(y(DETECTION_PROBABILITY)) - 4}" text-anchor="end" fill="#555">95%</text>
${values.map((v) => html`<line x1="${round(x(v))}" x2="${round(x(v))}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" stroke="#333"/><text x="${round(x(v))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${format(v)}</text>`)}
<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#333"/>
<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#333"/>
<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle">${`${sweep.parameter}${log ? " (log scale)" : ""}`}</text>
<text x="14" y="${MARGIN.top + plotH / 2}" text-anchor="middle" transform="${`rotate(-90 14 ${MARGIN.top + plotH / 2})`}">P(fires)</text>
${subjects.map(
  (s, i) => html`<polyline points="${s.path}" fill="none" stroke="${s.colour}" stroke-width="2" stroke-dasharray="${s.dash}"/>
<polyline points="${s.alarms}" fill="none" stroke="${s.colour}" stroke-width="1" stroke-dasharray="${s.dash}"/>
<polyline points="${s.power}" fill="none" stroke="${s.colour}" stroke-width="1" stroke-dasharray="1 3"/>
${s.points.flatMap((p) => marker(p, s.colour))}
<line x1="${WIDTH - MARGIN.right + 12}" x2="${WIDTH - MARGIN.right + 36}" y1="${MARGIN.top + 8 + i * 16}" y2="${MARGIN.top + 8 + i * 16}" stroke="${s.colour}" stroke-width="2" stroke-dasharray="${s.dash}"/>
<text x="${WIDTH - MARGIN.right + 40}" y="${MARGIN.top + 12 + i * 16}">${`${s.kind === "trigger" ? "trigger " : ""}${s.id}`}</text>`
)}
<text x="${WIDTH - MARGIN.right + 12}" y="${MARGIN.top + 24 + subjects.length * 16}" fill="#555">filled: truth calls for firing</text>
<text x="${WIDTH - MARGIN.right + 12}" y="${MARGIN.top + 38 + subjects.length * 16}" fill="#555">thin: false alarms</text>
<text x="${WIDTH - MARGIN.right + 12}" y="${MARGIN.top + 52 + subjects.length * 16}" fill="#555">dotted: exact power at truth</text>
${legend.map((text, i) => html`<text x="${WIDTH - MARGIN.right + 12}" y="${MARGIN.top + 66 + subjects.length * 16 + i * 14}" fill="#555">${text}</text>`)}
</svg>`
}

/** File name of a sweep's chart next to the memo. */
export const detectionCurveFile = (sweepId: string): string => `detection-${sweepId}.svg`
