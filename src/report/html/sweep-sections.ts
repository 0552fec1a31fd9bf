import type { Summary, SweepSubject } from "../../domain/summary.js"
import { detectionCurveSvg } from "../detection-curve-svg.js"
import { overfittingSentence } from "../../scoring/overfitting.js"
import { html, type Html } from "./escape.js"

const thresholdText = (t: SweepSubject["detectionThreshold"], parameter: string): string =>
  t === null ? "none in the grid" : `${parameter} ${t.direction === "at-or-above" ? "≥" : "≤"} ${t.value}`

/** Detection curves (inline SVG) and their table, per sweep; null when the audit has no sweeps. */
export const sweepsSection = (s: Summary): Html | null =>
  s.sweeps.length === 0
    ? null
    : html`${s.sweeps.map(
      (sweep) => html`<h3>${sweep.title}</h3>
<p>The ${sweep.archetype} organism with ${sweep.parameter} at ${sweep.values.join(", ")}, ${s.replicates} replicates each. A cell is P(fires) over replicates; * marks the values at which the organism's truth calls for the subject to fire. Only evaluations and triggers that measure what the swept defect distorts are shown. The detection threshold is the value beyond which the subject fires in at least 95% of replicates.</p>
<figure class="chart">${detectionCurveSvg(sweep, { standalone: false })}</figure>
<table>
<thead><tr><th scope="col">subject</th>${sweep.values.map((v) => html`<th scope="col">${v}</th>`)}<th scope="col">detection threshold</th></tr></thead>
<tbody>
${sweep.subjects.map(
  (subject) => html`<tr><th scope="row">${`${subject.kind === "trigger" ? "trigger " : ""}${subject.id}`}</th>${subject.points.map((p) => html`<td>${p.detection.estimate === null ? "–" : `${p.detection.estimate.toFixed(2)}${p.shouldFire ? "*" : ""}`}</td>`)}<td>${thresholdText(subject.detectionThreshold, sweep.parameter)}</td></tr>\n`
)}</tbody>
</table>\n`
    )}`

/** Samples spent by sequentially sampled evaluations against the fixed-n design; null when none is sequential. */
export const sequentialSection = (s: Summary): Html | null => {
  const rows = s.evaluations.flatMap((e) => (e.sequential === undefined ? [] : [{ id: e.id, ...e.sequential }]))
  return rows.length === 0
    ? null
    : html`<p>These evaluations asked each cell's samples in a seeded order and stopped as soon as their sequential design settled the decision; a cell the design left undecided asked every sample and the fixed rule decided.</p>
<table>
<thead><tr><th scope="col">evaluation</th><th scope="col">design</th><th scope="col">fixed n</th><th scope="col">mean samples used</th><th scope="col">saved</th><th scope="col">undecided cells</th></tr></thead>
<tbody>
${rows.map((q) => html`<tr><th scope="row">${q.id}</th><td>${q.method}</td><td>${q.fixedN}</td><td>${q.meanSamplesUsed.toFixed(1)}</td><td>${`${(q.savedFraction * 100).toFixed(0)}%`}</td><td>${q.undecided}</td></tr>\n`)}</tbody>
</table>`
}

/** When each trigger fires over a checkpoint series (its sentence per trigger); null when the audit has no series. */
export const timingSection = (s: Summary): Html | null =>
  s.timing.length === 0
    ? null
    : html`<p>Each series models successive training checkpoints whose true value rises. Lead time = the checkpoint where the truth first crosses the trigger's thresholds minus the checkpoint where the trigger first fires (positive: early warning; negative: late).</p>
<ul>
${s.timing.map((t) => html`<li><strong>${t.trigger}</strong> over ${t.series}: ${t.sentence}</li>\n`)}</ul>`

/** The adversarial search's result; null when the audit asks for none. */
export const searchSection = (s: Summary): Html | null => {
  const search = s.search
  if (search === null) return null
  return html`<p>fast-check searched ${search.runs} organisms (seed ${search.seed}, ${search.replicates} replicates each, scope: ${search.scope}) for one whose truth crosses a threshold yet escapes, shrinking it to the simplest that still escapes.</p>
<p>${search.escaping === null ? "No escaping organism found." : search.escaping.line}</p>
${search.estimate === null ? null : html`<p>Escape fraction: ${search.estimate.fraction.k} of ${search.estimate.eligible} organisms that must be caught (of ${search.estimate.drawn} drawn) escape, ${(search.estimate.fraction.estimate ?? 0).toFixed(2)} [${search.estimate.fraction.lower.toFixed(2)}, ${search.estimate.fraction.upper.toFixed(2)}].</p>`}`
}

/** Held-out organisms by hash while sealed, and the overfitting comparison; null without held-out organisms. */
export const heldOutSection = (s: Summary): Html | null => {
  const heldOut = s.heldOut
  if (heldOut === null) return null
  return html`<p>${heldOut.organisms.length} held-out organisms${heldOut.sealedAt === null ? "" : ` sealed ${heldOut.sealedAt}`}, ${heldOut.sealed ? "shown by salted hash only until a report is made with --unseal" : "unsealed in this report"}: ${heldOut.organisms.map((o) => `${o.id} (${o.hash.slice(0, 23)}…)`).join(", ")}.</p>
<ul>
${s.overfitting.map((o) => html`<li>${o.overfitting ? html`<strong>overfitting</strong> ` : null}${overfittingSentence(o)}</li>\n`)}</ul>`
}
