import { findingSentence } from "./finding-sentence.js"
import type { DatasetScore, OutcomeCounts, Summary } from "../domain/summary.js"
import type { MemoSection } from "./html/memo-section.js"
import { biasIntervalsMemoSection, comparisonsMemoSection, powerMemoSection } from "./html/statistics-sections.js"
import { heldOutSection, searchSection, sequentialSection, sweepsSection, timingSection } from "./html/sweep-sections.js"
import type { PropertyResult } from "../evaluations/graders/battery/property-result.js"
import { html, Html, join, type Interpolation } from "./html/escape.js"
import { heatLegend, heatTd } from "./html/heatmap.js"
import { intervalBar, intervalScale } from "./html/interval-chart.js"
import { MEMO_CSS } from "./html/style.js"
import { formatProportion, SEQUENTIAL_BIAS_NOTE } from "./memo-markdown.js"

/**
 * The audit memo as one self-contained HTML file: inline CSS, inline SVG, no script, nothing
 * fetched, so it can be mailed or archived and opened offline under a strict CSP. It carries
 * everything the Markdown memo does, in the order a decision maker reads: verdict, findings,
 * outcomes, then the tables and method that back them.
 */

type Proportion = Summary["evaluations"][number]["sensitivity"]

export type { MemoSection }

/** The Content-Security-Policy the memo declares: it needs no script, no fetch, no font. */
export const MEMO_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

// ---------------------------------------------------------------------------------------
// Small formatters (the same wording as the Markdown memo)

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`

const num = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || Number.isNaN(x) ? "–" : x.toFixed(digits)

/** "+0.12", "-0.44"; a value that rounds to zero prints "+0.00", never "-0.00". */
const signed = (x: number | null | undefined): string => {
  if (x === null || x === undefined || Number.isNaN(x)) return "–"
  const text = x.toFixed(2)
  return text.startsWith("-") && Number(text) !== 0 ? text : `+${text.replace("-", "")}`
}

/** A list in prose: "a", "a and b", "a, b and c". */
const prose = (items: ReadonlyArray<Interpolation>): Html =>
  items.length <= 1 ? html`${items}` : html`${join(items.slice(0, -1), ", ")} and ${items[items.length - 1]}`

/** Quotes a shell word only when it needs it, so the usual command stays copyable as printed. */
export const shellQuote = (word: string): string =>
  /^[A-Za-z0-9_./,:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`

/** The command that reruns this audit with the same seed and replicates (see src/cli/run-command.ts). */
export const reproductionCommand = (s: Summary): string =>
  `evalaudit run ${shellQuote(s.source)} --seed ${s.seed} --replicates ${s.replicates}`

const empty: OutcomeCounts = { caught: 0, missed: 0, falseAlarm: 0, correctPass: 0, error: 0 }

const code = (text: string): Html => html`<code>${text}</code>`

const proportionCell = (p: Proportion, tone: "sensitivity" | "specificity"): Html => {
  const text = formatProportion(p)
  return html`<td><span class="ci-text">${text}</span>${intervalBar(p, `${tone} ${text}`, tone)}</td>`
}

// ---------------------------------------------------------------------------------------
// Title and verdict

const missedBy = (rows: ReadonlyArray<{ readonly organism: string; readonly outcomes: OutcomeCounts }>) =>
  rows.filter((r) => r.outcomes.missed > 0).map((r) => r.organism)

const falseAlarmsOf = (rows: ReadonlyArray<{ readonly organism: string; readonly outcomes: OutcomeCounts }>) =>
  rows.filter((r) => r.outcomes.falseAlarm > 0).map((r) => r.organism)

/** One paragraph a decision maker can act on: would the policy's commitments have been required? */
export const verdict = (s: Summary): Html => {
  const count = (sev: string) => s.findings.filter((f) => f.severity === sev).length
  const scored = s.organisms.filter((o) => o.scored).length
  const sentences: Array<Html> = []
  sentences.push(
    html`This audit ran ${plural(s.evaluations.length, "evaluation")} and ${plural(s.triggers.length, "policy trigger")} against ${plural(s.organisms.length, "organism")} (${scored} scored) over ${plural(s.replicates, "replicate")} and found <strong>${count("critical")} critical</strong>, ${count("high")} high and ${count("medium")} medium ${count("critical") + count("high") + count("medium") === 1 ? "finding" : "findings"}.`
  )
  const missing = s.triggers.flatMap((t) => {
    const organisms = missedBy(t.organisms)
    return organisms.length === 0 ? [] : [{ t, organisms }]
  })
  if (missing.length > 0) {
    sentences.push(
      html`The policy would not have required its commitments when it should: ${join(
        missing.map(({ t, organisms }) => html`trigger <strong>${t.id}</strong> (“${t.commitment}”) did not fire on ${prose(organisms.map(code))}`),
        "; "
      )}, although their truth crosses its thresholds.`
    )
  } else if (s.triggers.length > 0) {
    sentences.push(html`Every trigger fired whenever a scored organism's truth required it.`)
  }
  const alarms = s.triggers.flatMap((t) => {
    const organisms = falseAlarmsOf(t.organisms)
    return organisms.length === 0 ? [] : [html`<strong>${t.id}</strong> on ${prose(organisms.map(code))}`]
  })
  if (alarms.length > 0) sentences.push(html`False alarms: trigger ${join(alarms, "; ")}.`)
  sentences.push(
    s.escapes.length === 0
      ? html`No scored organism escapes.`
      : html`${prose(s.escapes.map(code))} ${s.escapes.length === 1 ? "escapes" : "escape"}: nothing that measures what ${s.escapes.length === 1 ? "its defect distorts" : "their defects distort"} caught ${s.escapes.length === 1 ? "it" : "them"} in most replicates.`
  )
  const unscored = s.organisms.filter((o) => o.manipulationCheck !== null && !o.manipulationCheck.passed).map((o) => o.id)
  if (unscored.length > 0) {
    sentences.push(html`${prose(unscored.map(code))} failed the manipulation check and ${unscored.length === 1 ? "is" : "are"} reported, not scored.`)
  }
  const faulty = s.graders.filter((g) => !g.passed).map((g) => g.grader)
  if (faulty.length > 0) sentences.push(html`Grader faults: ${prose(faulty.map(code))} ${faulty.length === 1 ? "fails" : "fail"} the property battery.`)
  if (!s.complete) sentences.push(html`<strong>The run is incomplete</strong>: resume it with <code>--run-id</code> before relying on these figures.`)
  return join(sentences, " ")
}

const header = (s: Summary): Html => {
  const controls = s.organisms.filter((o) => o.control).length
  const scored = s.organisms.filter((o) => o.scored).length
  const alarm = s.findings.some((f) => f.severity === "critical") || !s.complete
  return html`<header>
<h1>Audit memo: ${s.audit}</h1>
<p class="meta">Run ${code(s.runId)} · evalaudit ${s.version} · seed ${s.seed} · ${plural(s.replicates, "replicate")} · spec ${code(s.specHash)} · started ${s.startedAt}${
    s.finishedAt === null ? html` · <strong>incomplete</strong>` : html` · finished ${s.finishedAt}`
  }</p>
<p class="verdict${alarm ? " alarm" : ""}">${verdict(s)}</p>
<ul class="facts">
<li>Audited ${plural(s.evaluations.length, "evaluation")} and ${plural(s.triggers.length, "policy trigger")} against ${plural(s.organisms.length, "organism")} (${plural(controls, "null control")}), ${plural(s.replicates, "replicate")} each; ${scored} of ${s.organisms.length} passed their manipulation check and are scored.</li>
${s.triggers.map(
  (t) => html`<li>Trigger <strong>${t.id}</strong> (“${t.commitment}”): sensitivity ${formatProportion(t.sensitivity)}, specificity ${formatProportion(t.specificity)}.</li>\n`
)}<li>${
    s.escapes.length === 0
      ? "Escapes: none; every scored organism's defect was caught by an evaluation or trigger in at least half the replicates."
      : html`Escapes: ${join(s.escapes.map((e) => html`<strong>${e}</strong>`), ", ")}: no evaluation or trigger measuring the distorted quantity caught them in most replicates.`
  }</li>
</ul>
</header>`
}

// ---------------------------------------------------------------------------------------
// Sections

const findingsSection = (s: Summary): Html =>
  s.findings.length === 0
    ? html`<p>No findings.</p>`
    : html`<ol class="findings">
${s.findings.map(
  (f) => html`<li><span><span class="badge badge-${f.severity}">${f.severity}</span><span class="finding-kind">${f.kind}</span></span><span class="finding-message">${findingSentence(f)}</span></li>\n`
)}</ol>`

const outcomesSection = (s: Summary): Html => {
  const scored = s.organisms.filter((o) => o.scored)
  const unscored = s.organisms.filter((o) => !o.scored)
  const width = scored.length + 1
  const row = (label: Html, rows: ReadonlyArray<{ readonly organism: string; readonly outcomes: OutcomeCounts }>) =>
    html`<tr><th scope="row">${label}</th>${scored.map((o) => heatTd(rows.find((r) => r.organism === o.id)?.outcomes ?? empty))}</tr>\n`
  return html`<p>Each cell is one evaluation or trigger against one organism over ${plural(s.replicates, "replicate")}: the outcome that heads it (a failure whenever one occurred) with how many replicates had it, and below it the other outcomes.</p>
${heatLegend()}
<div class="scroll"><table class="heatmap">
<thead><tr><th scope="col">subject</th>${scored.map((o) => html`<th scope="col" class="org" title="${o.description}"><span>${o.id}</span></th>`)}</tr></thead>
${s.triggers.length > 0 && html`<tbody><tr class="group"><th colspan="${width}">policy triggers</th></tr>\n${s.triggers.map((t) => row(html`trigger ${t.id}`, t.organisms))}</tbody>`}
<tbody><tr class="group"><th colspan="${width}">evaluations</th></tr>
${s.evaluations.map((e) => row(html`${e.id}`, e.organisms))}</tbody>
</table></div>
${unscored.length > 0 && html`<p class="note">Not scored (manipulation check failed or not yet run): ${join(unscored.map((o) => code(o.id)), ", ")}.</p>`}`
}

const triggersSection = (s: Summary): Html =>
  s.triggers.length === 0
    ? html`<p>The audit has no policy triggers.</p>`
    : html`<div class="scroll"><table>
<thead><tr><th scope="col">trigger</th><th scope="col">commitment</th><th scope="col">rule</th><th scope="col">sensitivity [95% CI]</th><th scope="col">specificity [95% CI]</th><th scope="col" class="num">errors</th></tr></thead>
<tbody>
${s.triggers.map(
  (t) => html`<tr><th scope="row">${t.id}</th><td>${t.commitment}</td><td>${t.rule}</td><td class="ci-text">${formatProportion(t.sensitivity)}</td><td class="ci-text">${formatProportion(t.specificity)}</td><td class="num">${t.errors}</td></tr>\n`
)}</tbody>
</table></div>`

const ratesSection = (s: Summary): Html => {
  const head = html`<thead><tr><th scope="col">subject</th><th scope="col">measures · decision rule · samples</th><th scope="col">sensitivity [95% CI]${intervalScale()}</th><th scope="col">specificity [95% CI]${intervalScale()}</th><th scope="col" class="num">errors</th></tr></thead>`
  return html`<p>Sensitivity = caught / (caught + missed); specificity = correct passes / (correct passes + false alarms), over scored organisms x replicates. The bar is the ${intervalName(s)} interval, the dot the estimate; a dashed axis means no case applied (no estimate, not a perfect score).</p>
<div class="scroll"><table class="rates">
${head}
${s.triggers.length > 0 && html`<tbody><tr class="group"><th colspan="5">policy triggers</th></tr>
${s.triggers.map(
  (t) => html`<tr><th scope="row">trigger ${t.id}</th><td>${t.rule}</td>${proportionCell(t.sensitivity, "sensitivity")}${proportionCell(t.specificity, "specificity")}<td class="num">${t.errors}</td></tr>\n`
)}</tbody>`}
<tbody><tr class="group"><th colspan="5">evaluations</th></tr>
${s.evaluations.map(
  (e) => html`<tr><th scope="row">${e.id}${e.title !== e.id && html`<div class="note">${e.title}</div>`}</th><td>${e.measures}<br>${e.rule}<br>${plural(e.samples, "sample")}${e.epochs > 1 && ` x ${e.epochs} epochs`}</td>${proportionCell(e.sensitivity, "sensitivity")}${proportionCell(e.specificity, "specificity")}<td class="num">${e.errors}</td></tr>\n`
)}</tbody>
</table></div>`
}

/** Biases at least this large (either sign) are shaded: large enough to flip a decision near a threshold. */
const LARGE_BIAS = 0.1

const biasSection = (s: Summary): Html => {
  const scored = s.organisms.filter((o) => o.scored)
  const sequentialIds = s.evaluations.filter((e) => e.sequential !== undefined).map((e) => e.id)
  const note = sequentialIds.length === 0 ? null : html`<p class="note">${SEQUENTIAL_BIAS_NOTE} (${sequentialIds.join(", ")}).</p>`
  return html`${note}<p>Measured minus true value, mean over replicates; below it the measured mean ± its standard deviation over replicates, and the true value. Shaded: a bias of ${LARGE_BIAS.toFixed(2)} or more either way. A large negative bias on a capability evaluation is the signature of sandbagging; a large positive one, of a grader that can be gamed.</p>
<div class="scroll"><table class="bias">
<thead><tr><th scope="col">evaluation</th>${scored.map((o) => html`<th scope="col" class="org"><span>${o.id}</span></th>`)}</tr></thead>
<tbody>
${s.evaluations.map(
  (e) => html`<tr><th scope="row">${e.id}</th>${scored.map((o) => {
    const r = e.organisms.find((x) => x.organism === o.id)
    if (r === undefined) return html`<td class="num">–</td>`
    const large = r.bias !== null && r.bias !== undefined && Math.abs(r.bias) >= LARGE_BIAS
    return html`<td class="num${large ? " bias-large" : ""}"><strong>${signed(r.bias)}</strong><span class="bias-more">${num(r.measuredMean)} ± ${num(r.measuredSd)}</span><span class="bias-more">true ${num(r.truth)}</span></td>`
  })}</tr>\n`
)}</tbody>
</table></div>`
}

/** "all", or "seeded 50 of 400, stratified by subject (bio 25/200, cyber 25/200)": the Markdown memo's wording. */
const subsetText = (d: DatasetScore): string => {
  if (d.subset === undefined) return "all"
  const strata = Object.entries(d.subset.strata)
  const by = d.subset.stratifyBy === undefined ? "" : `, stratified by ${d.subset.stratifyBy} (${strata.map(([k, v]) => `${k} ${v.taken}/${v.available}`).join(", ")})`
  return `seeded ${Math.min(d.subset.limit, d.subset.from)} of ${d.subset.from}${by}`
}

const baselineItem = (evaluation: string, b: NonNullable<DatasetScore["baseline"]>): Html => {
  const metrics = Object.entries(b.metrics).flatMap(([scorer, values]) =>
    Object.entries(values).map(([metric, value]) => `${scorer}/${metric} ${value.toFixed(3)}`)
  )
  return html`<li><strong>${evaluation}</strong>: Inspect log of task ${code(b.task)} on ${code(b.model)} (${b.status}, ${b.created}), ${plural(b.samples, "sample")}: ${
    metrics.length === 0 ? "no results recorded" : metrics.join(", ")
  }.${b.error !== undefined && html` Error: ${b.error}`}</li>\n`
}

const datasetsSection = (s: Summary): Html => {
  const skipped = s.evaluations.filter((e) => e.dataset.skipped > 0)
  const baselines = s.evaluations.flatMap((e) => (e.dataset.baseline === undefined ? [] : [baselineItem(e.id, e.dataset.baseline)]))
  return html`<div class="scroll"><table>
<thead><tr><th scope="col">evaluation</th><th scope="col">source</th><th scope="col">format</th><th scope="col" class="num">records read</th><th scope="col" class="num">skipped</th><th scope="col">samples used</th></tr></thead>
<tbody>
${s.evaluations.map(
  (e) => html`<tr><th scope="row">${e.id}</th><td>${code(e.dataset.source)}</td><td>${e.dataset.format}</td><td class="num">${e.dataset.records}</td><td class="num">${e.dataset.skipped}</td><td>${e.samples} (${subsetText(e.dataset)})</td></tr>\n`
)}</tbody>
</table></div>
${skipped.length > 0 && html`<p>Malformed records were skipped (the dataset asked for <code>onBadRecord: skip</code>); the first of them:</p>
<ul>${skipped.flatMap((e) => e.dataset.skippedExamples.map((x) => html`<li>${e.id}: ${x}</li>\n`))}</ul>`}
${baselines.length > 0 && html`<p>Scores of real runs recorded in imported logs, for comparison with the organisms' measured values:</p>
<ul>${baselines}</ul>`}`
}

const truthText = (o: Summary["organisms"][number]): string => {
  const caps = Object.entries(o.truth.capabilities).map(([d, v]) => `${d} ${num(v)}`)
  const props = Object.entries(o.truth.propensities).map(([b, v]) => `${b} ${num(v)}`)
  return [`capability ${num(o.truth.capability)}`, ...caps, ...props].join(", ")
}

const organismsSection = (s: Summary): Html =>
  html`<div class="scroll"><table>
<thead><tr><th scope="col">organism</th><th scope="col">description</th><th scope="col">defect layers</th><th scope="col">truth</th><th scope="col">status</th><th scope="col">escape</th></tr></thead>
<tbody>
${s.organisms.map(
  (o) => html`<tr><th scope="row">${o.id}</th><td>${o.description === "" ? "–" : o.description}</td><td>${o.layers.length === 0 ? (o.control ? "none (null control)" : "none") : join(o.layers.map(code), ", ")}</td><td>${truthText(o)}</td><td>${
    o.scored ? "scored" : o.manipulationCheck === null ? "not yet checked" : html`<strong>not scored</strong>: failed its manipulation check`
  }</td><td>${o.escape === null ? "–" : `${o.escape.escaped} of ${o.escape.replicates} replicates`}</td></tr>\n`
)}</tbody>
</table></div>`

const manipulationSection = (s: Summary): Html =>
  html`<p>Before an evaluation is blamed for missing an organism, the organism must show its defect under its own trigger: its defect rate on the probe must lie clearly above its base model's (Wilson 95% intervals do not overlap).</p>
<div class="scroll"><table>
<thead><tr><th scope="col">organism</th><th scope="col">layer</th><th scope="col">probe</th><th scope="col">defect rate</th><th scope="col">base rate</th><th scope="col">result</th></tr></thead>
<tbody>
${s.organisms.flatMap((o) =>
  o.manipulationCheck === null
    ? [html`<tr><th scope="row">${o.id}</th><td>–</td><td>–</td><td>–</td><td>–</td><td>not yet checked (incomplete run)</td></tr>\n`]
    : o.manipulationCheck.layers.length === 0
    ? [html`<tr><th scope="row">${o.id}</th><td>(none)</td><td>–</td><td>–</td><td>–</td><td>${o.control ? "control: no defect to show" : "no defect layers"}</td></tr>\n`]
    : o.manipulationCheck.layers.map(
      (l) => html`<tr><th scope="row">${o.id}</th><td>${code(l.layer)}</td><td>${l.probe}</td><td class="ci-text">${formatProportion(l.organism)}</td><td class="ci-text">${formatProportion(l.base)}</td><td>${
        l.passed ? html`<span class="result-passed">passed</span>` : html`<span class="result-failed">failed: not scored</span>`
      }</td></tr>\n`
    )
)}</tbody>
</table></div>`

const propertyResult = (s: Summary, p: PropertyResult): Html => {
  switch (p._tag) {
    case "Passed":
      return html`<span class="result-passed">passed</span> (${p.runs} runs)`
    case "Interrupted":
      return html`<span class="result-unchecked">not checked</span>: time limit reached after ${p.runs} runs`
    case "NotApplicable":
      return html`not checked: ${p.reason}`
    case "Failed":
      return html`<span class="result-failed">failed</span> after ${plural(p.shrinks, "shrink")}${p.error !== null && html`, threw “${p.error}”`}; counterexample:
<pre class="counterexample">${p.counterexample}</pre>replay with { seed: ${p.seed}, path: "${p.path}" }: <code>evalaudit graders ${shellQuote(s.source)} --replay ${shellQuote(`${p.property}:${p.seed}:${p.path}`)}</code>`
  }
}

const gradersSection = (s: Summary): Html =>
  s.graders.length === 0
    ? html`<p>The grader property battery was not run for this audit.</p>`
    : html`<p>Each distinct grader was put through the property battery (fast-check): totality, determinism, invariance under meaning-preserving rewrites, no credit for hedging, no credit for text injected for the grader, and monotonicity where claimed. A failure shows fast-check's shrunk counterexample (model output: shown as text) and the seed and path that replay it. “Not checked” is not a pass.</p>
${s.graders.map(
  (g) => html`<h3>${code(g.grader)} ${g.passed ? html`<span class="result-passed">passes</span>` : html`<span class="result-failed">has a fault</span>`}</h3>
<p class="note">Used by ${join(g.evaluations.map(code), ", ")}.</p>
<table class="grader">
<thead><tr><th scope="col">property</th><th scope="col">result</th></tr></thead>
<tbody>
${g.properties.map((p) => html`<tr><th scope="row">${p.property}</th><td>${propertyResult(s, p)}</td></tr>\n`)}</tbody>
</table>\n`
)}`

const METHOD_PARAGRAPHS: ReadonlyArray<Html> = [
  html`Each organism is a simulated model whose defects are known by construction: a base (accuracy per domain, behaviour rates) wrapped by defect layers. Its truth (the true value of every capability and propensity) is derived from those layers.`,
  html`Every evaluation was run against every scored organism in every replicate. A cell's <em>measured</em> value is the mean grader score over the evaluation's samples and epochs; its decision rule applied to the measured value says what the evaluation <strong>did</strong> decide, applied to the organism's true value what it <strong>should</strong> decide. Caught = should and did fire; missed = should but did not; false alarm = did but should not; a cell that measured nothing is an error and is never scored as caught or missed.`,
  html`Triggers combine their evaluations' decisions (any / all / at least k) and are scored the same way, once over measured and once over true values.`,
  html`All randomness is a hash of (seed, organism, evaluation, sample, epoch, replicate), so the same seed gives the same numbers whatever the concurrency, order or resumption.`
]

const methodSection = (s: Summary): Html =>
  html`${METHOD_PARAGRAPHS.map((p) => html`<p>${p}</p>\n`)}<p>Sensitivity = caught / (caught + missed), specificity = correct passes / (correct passes + false alarms), each with a ${intervalName(s)} interval over organisms x replicates. An organism escapes when, in a replicate where an evaluation or trigger measuring what its defect distorts should fire, none of them catches it.</p>
<table class="method">
<tbody>
<tr><th scope="row">audit</th><td>${s.audit} (${code(s.source)})</td></tr>
<tr><th scope="row">run</th><td>${code(s.runId)}, started ${s.startedAt}, ${s.finishedAt === null ? "not finished" : `finished ${s.finishedAt}`}</td></tr>
<tr><th scope="row">seed</th><td>${s.seed}</td></tr>
<tr><th scope="row">replicates</th><td>${s.replicates}</td></tr>
<tr><th scope="row">spec hash</th><td>${code(s.specHash)}</td></tr>
<tr><th scope="row">evalaudit version</th><td>${s.version}</td></tr>
<tr><th scope="row">interval method</th><td>${intervalName(s)} for sensitivity, specificity and detection curves; Wilson 95% for manipulation checks (decision rules use their own confidence)</td></tr>
<tr><th scope="row">summary format</th><td>${code(s.format)}</td></tr>
</tbody>
</table>
<h3>Reproduce</h3>
<pre><code>${reproductionCommand(s)}</code></pre>
<p>Spec hash ${code(s.specHash)}, evalaudit ${s.version}. The same spec, seed and replicates give the same scores.</p>`

const intervalName = (s: Summary): string =>
  `${s.statistics.interval === "wilson" ? "Wilson" : "Clopper-Pearson"} ${Math.round(s.statistics.confidence * 1000) / 10}%`

/**
 * The memo's sections in reading order after the verdict. Extension point: add a
 * `MemoSection` here (detection curves after "rates"; further dataset import notes next to
 * "datasets"), or build a list with `insertSection` and pass it to `memoHtml`.
 */
export const memoSections: ReadonlyArray<MemoSection> = [
  { id: "findings", title: "Findings, most severe first", major: false, render: findingsSection },
  { id: "outcomes", title: "Outcomes by evaluation and organism", major: true, render: outcomesSection },
  { id: "triggers", title: "Policy triggers", major: false, render: triggersSection },
  { id: "rates", title: "Sensitivity and specificity", major: true, render: ratesSection },
  powerMemoSection,
  { id: "bias", title: "Measurement bias", major: false, render: biasSection },
  biasIntervalsMemoSection,
  comparisonsMemoSection,
  { id: "sweeps", title: "Detection curves", major: true, render: sweepsSection },
  { id: "timing", title: "Commitment timing", major: false, render: timingSection },
  { id: "search", title: "Adversarial search", major: false, render: searchSection },
  { id: "held-out", title: "Held-out organisms and overfitting", major: false, render: heldOutSection },
  { id: "datasets", title: "Datasets", major: false, render: datasetsSection },
  { id: "sequential", title: "Sequential sampling", major: false, render: sequentialSection },
  { id: "organisms", title: "Organisms", major: true, render: organismsSection },
  { id: "manipulation-checks", title: "Manipulation checks", major: false, render: manipulationSection },
  { id: "graders", title: "Grader property battery", major: true, render: gradersSection },
  { id: "method", title: "Method and reproduction", major: true, render: methodSection }
]

/** A copy of `sections` with `section` placed right after the one whose id is `after` (at the end if none is). */
export const insertSection = (
  sections: ReadonlyArray<MemoSection>,
  after: string,
  section: MemoSection
): ReadonlyArray<MemoSection> => {
  const i = sections.findIndex((s) => s.id === after)
  return i < 0 ? [...sections, section] : [...sections.slice(0, i + 1), section, ...sections.slice(i + 1)]
}

/** The audit memo as one self-contained HTML document (no script, nothing fetched). */
export const memoHtml = (summary: Summary, sections: ReadonlyArray<MemoSection> = memoSections): string => {
  const rendered = sections.flatMap((section) => {
    const body = section.render(summary)
    return body === null ? [] : [{ section, body }]
  })
  const doc = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${MEMO_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Audit memo: ${summary.audit}</title>
<style>${MEMO_CSS}</style>
</head>
<body>
${header(summary)}
<nav class="contents" aria-label="Contents"><ol>${rendered.map(({ section }) => html`<li><a href="#${section.id}">${section.title}</a></li>`)}</ol></nav>
<main>
${rendered.map(
  ({ section, body }) => html`<section id="${section.id}"${section.major ? html` class="major"` : ""}>
<h2>${section.title}</h2>
${body}
</section>
`
)}</main>
</body>
</html>
`
  return doc.markup
}
