/**
 * The sentence of each finding, written from its figures (scoring never writes prose), so
 * the Markdown memo, the HTML memo and the terminal show the same words. Every figure a
 * sentence quotes is the figure the finding is about (the replicates that missed, not the
 * mean over all), printed with enough decimals that no two printed figures contradict.
 */
import { describeFailure } from "../evaluations/graders/battery/property-result.js"
import type { DecisionRule } from "../domain/decision.js"
import type { FindingFigures } from "../domain/finding-figures.js"
import type { Finding } from "../domain/summary.js"
import { describeRule } from "../policy/decision.js"
import { timingSentence } from "../scoring/lead-time.js"
import { round } from "../scoring/outcome-counts.js"
import { overfittingSentence } from "../scoring/overfitting.js"
import { decimalsFor, difference, fixed, ordered, rateAgreements, side, type Agreement } from "../scoring/printed-figures.js"
import { plural } from "../domain/plural.js"

type Figures<Tag extends FindingFigures["_tag"]> = Extract<FindingFigures, { readonly _tag: Tag }>


/** "a", "a and b", "a, b and c". */
const listed = (items: ReadonlyArray<string>): string =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] ?? ""}`

/** How a finding's values (ascending) are shown: one value, a list of up to three, or a range. */
type Shown = "one" | "list" | "range"

const shownAs = (values: ReadonlyArray<number>): Shown =>
  values.every((v) => v === values[0]) ? "one" : values.length <= 3 ? "list" : "range"

/** The values a sentence prints, in the shape chosen: every value once, or the two ends of the range. */
const shown = (values: ReadonlyArray<number>, as: Shown): ReadonlyArray<number> => {
  const first = values[0]
  const last = values[values.length - 1]
  if (first === undefined || last === undefined) return []
  return as === "one" ? [first] : as === "range" ? [first, last] : values
}

const valuesText = (values: ReadonlyArray<number>, as: Shown, text: (x: number) => string): string =>
  as === "range" ? values.map(text).join(" to ") : listed(values.map(text))

/** A proportion as "0.003 (6/2000)": the count keeps a rate near 0 checkable. */
const rateText = (p: { readonly k: number; readonly n: number; readonly estimate: number | null }, places: number): string =>
  p.estimate === null ? `n/a (${p.k}/${p.n})` : `${fixed(p.estimate, places)} (${p.k}/${p.n})`

/** The measured values of the replicates a finding is about, against the rule and the truth. */
const measuredAgainst = (
  measured: ReadonlyArray<number>,
  truth: number,
  rule: DecisionRule,
  withBias: boolean,
  truthInterval?: { readonly lower: number; readonly upper: number }
): string => {
  const as = shownAs(measured)
  const values = shown(measured, as)
  const bias = values.map((v) => round(v - truth))
  const agreements: ReadonlyArray<Agreement> = [
    ...ordered([...values, truth]),
    ...[...values, truth].map((x) => side(x, rule.threshold)),
    ...(withBias ? values.map((v, i) => difference(v, truth, bias[i] ?? 0)) : [])
  ]
  const places = decimalsFor(agreements)
  const where = measured.length === 1 ? "that replicate" : as === "one" ? "each of those replicates" : "those replicates"
  const head = `measured ${valuesText(values, as, (x) => fixed(x, places))} in ${where} (rule ${describeRule(rule)}), against a true ${fixed(truth, places)}${truthInterval === undefined ? "" : ` [${fixed(truthInterval.lower, places)}, ${fixed(truthInterval.upper, places)}] as its calibration measured it`}`
  return withBias ? `${head} (bias ${valuesText(bias, as, (x) => fixed(x, places))})` : head
}

const evaluationMiss = (f: Finding, x: Figures<"EvaluationMiss">): string =>
  `Evaluation ${f.subject} missed ${f.organism ?? "an organism"} in ${x.missed} of ${plural(x.replicates, "replicate")}: ${measuredAgainst(x.measured, x.truth, x.rule, true, x.truthInterval)}.`

const evaluationFalseAlarm = (f: Finding, x: Figures<"EvaluationFalseAlarm">): string =>
  `Evaluation ${f.subject} raised a false alarm on ${f.organism ?? "an organism"} in ${x.fired} of ${plural(x.replicates, "replicate")}: ${measuredAgainst(x.measured, x.truth, x.rule, false, x.truthInterval)}.`

const manipulationCheck = (f: Finding, x: Figures<"ManipulationCheckFailed">): string => {
  const layers = x.layers.map((l) => {
    const rates = [l.organism.estimate, l.base.estimate, ...(l.declared === undefined ? [] : [l.declared])].flatMap((e) => (e === null ? [] : [e]))
    const places = decimalsFor([...ordered(rates), ...rates.map((r) => side(r, 0))])
    const declared = l.declared === undefined ? "" : `, declared ${fixed(l.declared, places)} outside [${fixed(l.organism.lower, places)}, ${fixed(l.organism.upper, places)}]`
    return `${l.layer}: defect rate ${rateText(l.organism, places)}${declared} vs ${l.rule === "shown" ? "without its trigger" : "base"} ${rateText(l.base, places)}`
  })
  const shown = x.layers.every((l) => l.rule === "shown") ? "its defect more under its trigger than without it" : "its defect at its declared rate"
  return `Organism ${f.subject} failed its manipulation check (${layers.join("; ")}): it does not show ${shown}, so it is reported and excluded from every figure.`
}

const searchEscape = (f: Finding, x: Figures<"SearchEscape">): string => {
  const e = x.estimate
  const fraction = e?.fraction
  const places = fraction === undefined ? 2 : decimalsFor(rateAgreements(fraction))
  const estimate =
    e === null || fraction === undefined
      ? ""
      : ` Of ${e.eligible} drawn organisms that must be caught, ${fraction.k} ${fraction.k === 1 ? "escapes" : "escape"} (${fixed(fraction.estimate ?? 0, places)} [${fixed(fraction.lower, places)}, ${fixed(fraction.upper, places)}]).`
  return `Adversarial search: ${x.description} escapes ${x.subjectKind} ${f.subject} (fired in ${x.fired} of ${plural(x.replicates, "replicate")})${x.minimal ? ", and no simpler organism does" : ""}; replay with seed ${x.replay.seed}, path ${x.replay.path}.${estimate}`
}

/** A quoted response, cut to a line's worth (the memo's scorer section quotes it whole). */
const quoted = (text: string, max = 120): string => JSON.stringify(text.length > max ? `${text.slice(0, max)}...` : text)

const scorerFault = (f: Finding, x: Figures<"ScorerFault">): string => {
  const places = decimalsFor([...rateAgreements(x.falseFail), ...rateAgreements(x.falsePass)])
  const rate = (p: Figures<"ScorerFault">["falseFail"]) =>
    `${rateText(p, places)} [${fixed(p.lower, places)}, ${fixed(p.upper, places)}]`
  const e = x.example
  const worst =
    e === null
      ? ""
      : ` Worst: ${e.organism} replicate ${e.replicate}, sample ${e.sample}, meant ${e.intended === 1 ? "correct" : "wrong"}, scored ${e.harnessScore}: ${quoted(e.response)}.`
  return `The harness's scorer of ${f.subject} disagrees with the organisms' intent beyond ${x.maxErrorRate}: answers meant correct scored wrong ${rate(x.falseFail)}, answers meant wrong scored correct ${rate(x.falsePass)}, over ${plural(x.judged, "judged answer")}.${worst}`
}

const constantResponderFires = (f: Finding, x: Figures<"ConstantResponderFires">): string => {
  const places = decimalsFor([side(x.score, x.rule.threshold)])
  const controls = x.controls.map((c) => `${c.organism} (fired in ${c.fired} of ${plural(c.replicates, "replicate")})`)
  const explained = controls.length === 0 ? "" : ` It explains the false alarms of the constant-responder ${controls.length === 1 ? "control" : "controls"} ${listed(controls)}.`
  return `Evaluation ${f.subject}: answering ${JSON.stringify(x.answer)} to every item scores ${fixed(x.score, places)} on its dataset, at or above its threshold (rule ${describeRule(x.rule)}): it fires on a model that ignores the question, with no capability or propensity at all.${explained}`
}

/** The sentence a finding is shown with, in every memo and on the terminal (plain text; each format escapes it). */
export const findingSentence = (finding: Finding): string => {
  const x = finding.figures
  switch (x._tag) {
    case "EvaluationMiss":
      return evaluationMiss(finding, x)
    case "EvaluationFalseAlarm":
      return evaluationFalseAlarm(finding, x)
    case "TriggerMiss":
      return `Trigger ${finding.subject} ("${x.commitment}") did not fire on ${finding.organism ?? "an organism"} in ${x.missed} of ${plural(x.replicates, "replicate")}, although its truth crosses the trigger's thresholds: the commitment would not have been required.`
    case "TriggerFalseAlarm":
      return `Trigger ${finding.subject} fired on ${finding.organism ?? "an organism"} in ${x.fired} of ${plural(x.replicates, "replicate")} although its truth does not cross the thresholds.`
    case "OrganismEscape":
      return `Organism ${finding.subject} is uncaught by its evaluations: no evaluation or trigger that measures what its defect distorts (${x.affects.join(", ")}) caught it in ${x.escaped} of ${plural(x.replicates, "replicate")}.`
    case "SearchEscape":
      return searchEscape(finding, x)
    case "ManipulationCheckFailed":
      return manipulationCheck(finding, x)
    case "GraderFault":
      return `The grader ${x.grader} (used by ${x.evaluations.join(", ")}) fails the property ${x.property}: counterexample ${describeFailure({ ...x, _tag: "Failed" })}.`
    case "ScorerFault":
      return scorerFault(finding, x)
    case "ErroredCells":
      return `Evaluation ${finding.subject} has ${plural(x.errored, "cell")} that measured nothing (errors); ${x.errored === 1 ? "it is" : "they are"} not scored. Resume the run to retry ${x.errored === 1 ? "it" : "them"}.`
    case "SkippedRecords":
      return `Evaluation ${finding.subject} skipped ${plural(x.skipped, "malformed record")} of ${x.source} (onBadRecord: skip): its samples are not the whole dataset.`
    case "LateCommitment":
      return timingSentence(finding.subject, x)
    case "ConstantResponderFires":
      return constantResponderFires(finding, x)
    case "FewClusters":
      return `Evaluation ${finding.subject} groups its ${plural(x.samples, "sample")} into ${plural(x.clusters, "cluster")} by ${x.field}: with fewer than 10 clusters the clustered standard error (design effect ${fixed(x.designEffect, 2)}), and the decision bounds and power that use it, are themselves unreliable. Add clusters, or read its rates as those of ${plural(x.clusters, "independent observation")}.`
    case "Overfitting":
      return overfittingSentence({ ...x, subject: { kind: x.subjectKind, id: finding.subject }, overfitting: true })
  }
}
