import { findingSentence } from "./finding-sentence.js"
import type { Baseline } from "../domain/baseline.js"
import type { DatasetScore, OutcomeCounts, Summary, SweepSubject } from "../domain/summary.js"
import { detectionCurveFile } from "./detection-curve-svg.js"
import { overfittingSentence } from "../scoring/overfitting.js"
import { markdownTable } from "./markdown-table.js"
import { biasIntervalSection, comparisonsSection, powerSection } from "./sections/statistics-markdown.js"
import { describeFailure, type PropertyResult } from "../evaluations/graders/battery/property-result.js"

type Prop = Summary["evaluations"][number]["sensitivity"]

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`

const table = markdownTable

const num = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || Number.isNaN(x) ? "–" : x.toFixed(digits)

const signed = (x: number | null | undefined): string =>
  x === null || x === undefined ? "–" : `${x >= 0 ? "+" : ""}${x.toFixed(2)}`

/** "0.60 (6/10) [0.31, 0.83]", or "– (0/0)" when nothing applies. */
export const formatProportion = (p: Prop): string =>
  p.estimate === null ? `– (0/0)` : `${num(p.estimate)} (${p.k}/${p.n}) [${num(p.lower)}, ${num(p.upper)}]`

/** Compact outcome counts: C caught, M missed, F false alarm, P correct pass, E error. */
export const formatOutcomes = (o: OutcomeCounts): string => {
  const parts = [
    [o.caught, "C"],
    [o.missed, "M"],
    [o.falseAlarm, "F"],
    [o.correctPass, "P"],
    [o.error, "E"]
  ] as const
  const text = parts.filter(([n]) => n > 0).map(([n, l]) => `${n}${l}`).join(" ")
  return text === "" ? "–" : text
}

const reproduction = (s: Summary): string =>
  `evalaudit run ${s.source} --seed ${s.seed} --replicates ${s.replicates}`

/** The audit memo in Markdown: findings first, then the tables a reviewer checks them against. */
export const memoMarkdown = (s: Summary): string => {
  const scored = s.organisms.filter((o) => o.scored)
  const controls = s.organisms.filter((o) => o.control).length
  const bySeverity = (sev: string) => s.findings.filter((f) => f.severity === sev).length
  const out: Array<string> = []
  out.push(`# Audit memo: ${s.audit}`)
  out.push("")
  out.push(
    `Run \`${s.runId}\` · evalaudit ${s.version} · seed ${s.seed} · ${s.replicates} replicates · spec \`${s.specHash}\` · started ${s.startedAt}${s.finishedAt === null ? " · **incomplete**" : ` · finished ${s.finishedAt}`}`
  )
  out.push("")
  out.push("## Summary")
  out.push("")
  out.push(
    `- Audited ${plural(s.evaluations.length, "evaluation")} and ${plural(s.triggers.length, "policy trigger")} against ${plural(s.organisms.length, "organism")} (${plural(controls, "null control")}), ${plural(s.replicates, "replicate")} each; ${scored.length} of ${s.organisms.length} passed their manipulation check and are scored.`
  )
  out.push(
    `- Findings: ${bySeverity("critical")} critical, ${bySeverity("high")} high, ${bySeverity("medium")} medium.`
  )
  for (const t of s.triggers) {
    out.push(`- Trigger **${t.id}** ("${t.commitment}"): sensitivity ${formatProportion(t.sensitivity)}, specificity ${formatProportion(t.specificity)}.`)
  }
  out.push(
    s.escapes.length === 0
      ? "- Escapes: none; every scored organism's defect was caught by an evaluation or trigger in at least half the replicates."
      : `- Escapes: ${s.escapes.map((e) => `**${e}**`).join(", ")}: no evaluation or trigger measuring the distorted quantity caught them in most replicates.`
  )
  if (!s.complete) out.push("- This run is **incomplete** (interrupted, or cells ended in errors): resume it with `--run-id`.")
  out.push("")
  out.push("## Findings, most severe first")
  out.push("")
  if (s.findings.length === 0) out.push("No findings.")
  s.findings.forEach((f, i) => out.push(`${i + 1}. **${f.severity}** (${f.kind}): ${findingSentence(f)}`))
  out.push("")
  out.push("## Triggers")
  out.push("")
  if (s.triggers.length === 0) out.push("The audit has no policy triggers.")
  else {
    out.push(
      table(
        ["trigger", "commitment", "rule", `sensitivity ${ci(s)}`, `specificity ${ci(s)}`, "errors"],
        s.triggers.map((t) => [t.id, t.commitment, t.rule, formatProportion(t.sensitivity), formatProportion(t.specificity), String(t.errors)])
      )
    )
  }
  out.push("")
  out.push("## Evaluations")
  out.push("")
  out.push(
    table(
      ["evaluation", "measures", "decision rule", "samples", `sensitivity ${ci(s)}`, `specificity ${ci(s)}`, "errors"],
      s.evaluations.map((e) => [e.id, e.measures, e.rule, String(e.samples), formatProportion(e.sensitivity), formatProportion(e.specificity), String(e.errors)])
    )
  )
  out.push("")
  out.push(...powerSection(s.evaluations))
  out.push(...datasetsSection(s))
  out.push(...sequentialSection(s))
  out.push("## Outcomes by organism")
  out.push("")
  out.push("C caught, M missed, F false alarm, P correct pass, E error; counts over replicates.")
  out.push("")
  out.push(
    table(
      ["subject", ...scored.map((o) => o.id)],
      [
        ...s.triggers.map((t) => [`trigger ${t.id}`, ...scored.map((o) => formatOutcomes(t.organisms.find((r) => r.organism === o.id)?.outcomes ?? empty))]),
        ...s.evaluations.map((e) => [e.id, ...scored.map((o) => formatOutcomes(e.organisms.find((r) => r.organism === o.id)?.outcomes ?? empty))])
      ]
    )
  )
  out.push("")
  out.push("## Measurement bias (measured minus true, mean over replicates)")
  out.push("")
  const sequentialIds = s.evaluations.filter((e) => e.sequential !== undefined).map((e) => e.id)
  if (sequentialIds.length > 0) out.push(`${SEQUENTIAL_BIAS_NOTE} (${sequentialIds.join(", ")})`, "")
  out.push(
    table(
      ["evaluation", "organism", "true", "measured (sd over replicates)", "bias", "SE per cell (clustered)"],
      s.evaluations.flatMap((e) =>
        e.organisms.map((r) => [
          e.id,
          r.organism,
          num(r.truth),
          `${num(r.measuredMean)} (${num(r.measuredSd)})`,
          signed(r.bias),
          r.clusteredStandardError === undefined || r.clusteredStandardError === null
            ? num(r.standardError, 3)
            : `${num(r.standardError, 3)} (${num(r.clusteredStandardError, 3)})`
        ])
      )
    )
  )
  out.push("")
  out.push(...biasIntervalSection(s.evaluations))
  out.push(...comparisonsSection(s.comparisons))
  out.push(...sweepsSection(s))
  out.push(...timingSection(s))
  out.push(...searchSection(s))
  out.push(...heldOutSection(s))
  out.push("## Manipulation checks")
  out.push("")
  out.push(
    "Before an evaluation is blamed for missing an organism, the organism must show its defect under its own trigger: its defect rate on the probe must lie clearly above its base model's (Wilson 95% intervals do not overlap)."
  )
  out.push("")
  out.push(
    table(
      ["organism", "layer", "probe", "defect rate", "base rate", "result"],
      s.organisms.flatMap((o) =>
        o.manipulationCheck === null
          ? [[o.id, "–", "–", "–", "–", "not yet checked (incomplete run)"]]
          : o.manipulationCheck.layers.length === 0
          ? [[o.id, "(none)", "–", "–", "–", o.control ? "control: no defect to show" : "no defect layers"]]
          : o.manipulationCheck.layers.map((l) => [
            o.id,
            l.layer,
            l.probe,
            formatProportion(l.organism),
            formatProportion(l.base),
            l.passed ? "passed" : "**failed: not scored**"
          ])
      )
    )
  )
  out.push("")
  out.push("## Graders")
  out.push("")
  if (s.graders.length === 0) out.push("The grader property battery was not run for this audit.")
  else {
    out.push(
      "Each distinct grader was put through the property battery (fast-check): totality, determinism, invariance under meaning-preserving rewrites, no credit for hedging, no credit for text injected for the grader, and monotonicity where claimed. A failure shows fast-check's shrunk counterexample and the seed and path that replay it."
    )
    out.push("")
    out.push(
      table(
        ["grader", "used by", "property", "result"],
        s.graders.flatMap((g) =>
          g.properties.map((p) => [
            g.grader,
            g.evaluations.join(", "),
            p.property,
            propertyCell(p)
          ])
        )
      )
    )
  }
  out.push("")
  out.push("## Method")
  out.push("")
  out.push(
    [
      "Each organism is a simulated model whose defects are known by construction: a base (accuracy per domain, behaviour rates) wrapped by defect layers. Its truth (the true value of every capability and propensity) is derived from those layers.",
      "Every evaluation was run against every scored organism in every replicate. A cell's *measured* value is the mean grader score over the evaluation's samples and epochs; its decision rule applied to the measured value says what the evaluation **did** decide, applied to the organism's true value what it **should** decide. Caught = should and did fire; missed = should but did not; false alarm = did but should not; a cell that measured nothing is an error and is never scored as caught or missed.",
      "Triggers combine their evaluations' decisions (any / all / at least k) and are scored the same way, once over measured and once over true values.",
      `Sensitivity = caught / (caught + missed), specificity = correct passes / (correct passes + false alarms), each with a ${intervalName(s)} interval over organisms x replicates. An organism escapes when, in a replicate where an evaluation or trigger measuring what its defect distorts should fire, none of them catches it.`,
      `All randomness is a hash of (seed, organism, evaluation, sample, epoch, replicate), so the same seed gives the same numbers whatever the concurrency, order or resumption.`
    ].join("\n\n")
  )
  out.push("")
  out.push("## Reproduce")
  out.push("")
  out.push("```sh")
  out.push(reproduction(s))
  out.push("```")
  out.push("")
  out.push(`Spec hash \`${s.specHash}\`, evalaudit ${s.version}. The same spec, seed and replicates give the same scores.`)
  out.push("")
  return out.join("\n")
}

const propertyCell = (p: PropertyResult): string => {
  switch (p._tag) {
    case "Passed":
      return `passed (${p.runs} runs)`
    case "Interrupted":
      return `**not checked**: time limit reached after ${p.runs} runs`
    case "NotApplicable":
      return `not checked: ${p.reason}`
    case "Failed":
      return `**failed**: ${describeFailure(p)}`
  }
}

const empty: OutcomeCounts = { caught: 0, missed: 0, falseAlarm: 0, correctPass: 0, error: 0 }

const subsetCell = (d: DatasetScore): string => {
  if (d.subset === undefined) return "all"
  const strata = Object.entries(d.subset.strata)
  const by = d.subset.stratifyBy === undefined ? "" : `, stratified by ${d.subset.stratifyBy} (${strata.map(([k, v]) => `${k} ${v.taken}/${v.available}`).join(", ")})`
  return `seeded ${Math.min(d.subset.limit, d.subset.from)} of ${d.subset.from}${by}`
}

const baselineLines = (evaluationId: string, b: Baseline): Array<string> => {
  const metrics = Object.entries(b.metrics).flatMap(([scorer, values]) =>
    Object.entries(values).map(([metric, value]) => `${scorer}/${metric} ${value.toFixed(3)}`)
  )
  return [
    `- **${evaluationId}**: Inspect log of task \`${b.task}\` on \`${b.model}\` (${b.status}, ${b.created}), ${plural(b.samples, "sample")}: ${metrics.length === 0 ? "no results recorded" : metrics.join(", ")}.${b.error === undefined ? "" : ` Error: ${b.error}`}`
  ]
}

/** Where each evaluation's samples came from, what was skipped, the subset taken and any real run's scores. */
const datasetsSection = (s: Summary): Array<string> => {
  const out = ["## Datasets", ""]
  out.push(
    table(
      ["evaluation", "source", "format", "records read", "skipped", "samples used"],
      s.evaluations.map((e) => [e.id, e.dataset.source, e.dataset.format, String(e.dataset.records), String(e.dataset.skipped), `${e.samples} (${subsetCell(e.dataset)})`])
    )
  )
  out.push("")
  const skipped = s.evaluations.filter((e) => e.dataset.skipped > 0)
  if (skipped.length > 0) {
    out.push("Malformed records were skipped (the dataset asked for `onBadRecord: skip`); the first of them:")
    out.push("")
    for (const e of skipped) for (const example of e.dataset.skippedExamples) out.push(`- ${e.id}: ${example}`)
    out.push("")
  }
  const baselines = s.evaluations.flatMap((e) => (e.dataset.baseline === undefined ? [] : baselineLines(e.id, e.dataset.baseline)))
  if (baselines.length > 0) {
    out.push("Scores of real runs recorded in imported logs, for comparison with the organisms' measured values:")
    out.push("")
    out.push(...baselines)
    out.push("")
  }
  return out
}

/** Why a sequential evaluation's mean is not an estimate of the rate. */
export const SEQUENTIAL_BIAS_NOTE =
  "Sequentially sampled evaluations stop as soon as their decision is settled, so their measured means are biased by the stopping (a cell that stopped after a few early events overstates its rate): read their bias as a property of the design, not of the organism"

const intervalName = (s: Summary): string =>
  `${s.statistics.interval === "wilson" ? "Wilson" : "Clopper-Pearson"} ${Math.round(s.statistics.confidence * 1000) / 10}%`

const ci = (s: Summary): string => `[${Math.round(s.statistics.confidence * 1000) / 10}% CI]`

/** Samples spent by sequentially sampled evaluations against their fixed-n design. */
const sequentialSection = (s: Summary): Array<string> => {
  const sequential = s.evaluations.flatMap((e) => (e.sequential === undefined ? [] : [{ id: e.id, ...e.sequential }]))
  if (sequential.length === 0) return []
  return [
    "## Sequential sampling",
    "",
    "These evaluations asked each cell's samples in a seeded order and stopped as soon as their sequential design settled the decision; a cell the design left undecided asked every sample and the fixed rule decided.",
    "",
    table(
      ["evaluation", "design", "fixed n", "mean samples used", "saved", "undecided cells"],
      sequential.map((q) => [q.id, q.method, String(q.fixedN), q.meanSamplesUsed.toFixed(1), `${(q.savedFraction * 100).toFixed(0)}%`, String(q.undecided)])
    ),
    ""
  ]
}

const describeThreshold = (t: SweepSubject["detectionThreshold"], parameter: string): string =>
  t === null ? "none in the grid" : `${parameter} ${t.direction === "at-or-above" ? ">=" : "<="} ${t.value}`

/** Detection curves: how often each evaluation and trigger fired at each value of a swept parameter. */
const sweepsSection = (s: Summary): Array<string> =>
  s.sweeps.flatMap((sweep) => [
    `## Sweep ${sweep.id}: ${sweep.title}`,
    "",
    `The ${sweep.archetype} organism with \`${sweep.parameter}\` at ${sweep.values.join(", ")}, ${plural(s.replicates, "replicate")} each. A cell is P(fires) over replicates; * marks the values at which the organism's truth calls for the subject to fire. Only evaluations and triggers that measure what the swept defect distorts are shown. The detection threshold is the value beyond which the subject fires in at least 95% of replicates.`,
    "",
    `![Detection curves over ${sweep.parameter}](${detectionCurveFile(sweep.id)})`,
    "",
    table(
      ["subject", ...sweep.values.map(String), "detection threshold"],
      sweep.subjects.map((subject) => [
        `${subject.kind === "trigger" ? "trigger " : ""}${subject.id}`,
        ...subject.points.map((p) => (p.detection.estimate === null ? "–" : `${p.detection.estimate.toFixed(2)}${p.shouldFire ? "*" : ""}`)),
        describeThreshold(subject.detectionThreshold, sweep.parameter)
      ])
    ),
    ""
  ])

const leadText = (lead: number | null): string => (lead === null ? "never fires" : lead >= 0 ? `+${lead}` : String(lead))

/** When each trigger fires over a checkpoint series, against when its capability arrives. */
const timingSection = (s: Summary): Array<string> => {
  if (s.timing.length === 0) return []
  return [
    "## Commitment timing",
    "",
    "Each series models successive training checkpoints whose true value rises. Lead time = the checkpoint where the truth first crosses the trigger's thresholds minus the checkpoint where the trigger first fires (positive: early warning; negative: late), per replicate; \"late\" counts replicates where it fired after the crossing or never.",
    "",
    ...s.timing.flatMap((t) => [`- **${t.trigger}** over ${t.series}: ${t.sentence}`]),
    "",
    table(
      ["series", "trigger", "crossing", "evaluated every", "threshold offset", "median firing", "median lead", "late [95% CI]"],
      s.timing.flatMap((t) =>
        [...t.byCadence, ...(t.buffered === undefined ? [] : [t.buffered])].map((l) => [
          t.series,
          t.trigger,
          t.crossing === null ? "never" : String(t.crossing),
          `${l.cadence}`,
          l.buffer === 0 ? "0" : `-${l.buffer}`,
          l.medianFiring === null ? "never" : String(l.medianFiring),
          leadText(l.medianLead),
          formatProportion(l.late)
        ])
      )
    ),
    ""
  ]
}

/** The adversarial search: the simplest organism that escapes, and how much of the distribution does. */
export const searchSection = (s: Summary): Array<string> => {
  const search = s.search
  if (search === null) return []
  const estimate =
    search.estimate === null
      ? []
      : [`Escape fraction: of ${search.estimate.drawn} organisms drawn from the search space, ${search.estimate.eligible} must be caught (their truth crosses a threshold in scope) and ${formatProportion(search.estimate.fraction)} of those escape.`, ""]
  return [
    "## Adversarial search",
    "",
    `fast-check searched ${search.runs} organisms (seed ${search.seed}, ${search.replicates} replicates each, scope: ${search.scope}) for one whose truth crosses a threshold yet escapes, shrinking it to the simplest that still escapes.${search.skipped.length === 0 ? "" : ` Not searched (judge graders): ${search.skipped.join(", ")}.`}`,
    "",
    search.escaping === null ? "No escaping organism found." : `- ${search.escaping.line}`,
    "",
    ...estimate
  ]
}

/** Held-out organisms (by hash while sealed) and whether any evaluation or trigger does better on the organisms its authors could see. */
export const heldOutSection = (s: Summary): Array<string> => {
  const heldOut = s.heldOut
  if (heldOut === null) return []
  return [
    "## Held-out organisms and overfitting",
    "",
    `${heldOut.organisms.length} held-out organisms${heldOut.sealedAt === null ? "" : ` sealed ${heldOut.sealedAt}`}, ${heldOut.sealed ? "shown here by salted hash only (their parameters stay sealed until `evalaudit report <run> --unseal`)" : "unsealed in this report"}: ${heldOut.organisms.map((o) => `${o.id} (${o.hash.slice(0, 23)}…)`).join(", ")}.`,
    "",
    ...s.overfitting.map((o) => `- ${o.overfitting ? "**overfitting** " : ""}${overfittingSentence(o)}`),
    ""
  ]
}
