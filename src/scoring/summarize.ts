import type { ResolvedAudit } from "../domain/audit.js"
import { measureLabel } from "../domain/measure.js"
import type { CellResult, Outcome, TriggerResult } from "../domain/outcome.js"
import type { ResolvedDataset } from "../domain/dataset.js"
import type { ResolvedEvaluation } from "../domain/evaluation.js"
import type { SearchScore } from "../domain/search-settings.js"
import type { DatasetScore, EvaluationScore, SequentialScore, Finding, GraderScore, OrganismScore, OutcomeCounts, Summary, TriggerScore } from "../domain/summary.js"
import type { ManipulationCheck } from "../organisms/manipulation-check.js"
import { organismProfiles } from "../organisms/profile.js"
import { describeFailure } from "../evaluations/graders/battery/property-result.js"
import { describeRule } from "../policy/decision.js"
import { describeCombination } from "../policy/trigger.js"
import { mean, proportionInterval, standardDeviation } from "../stats/proportion.js"
import { biasSummary } from "./bias-summary.js"
import { comparisonScores, type SampleScore } from "./comparisons.js"
import { powerSummary } from "./power-summary.js"
import { sweepScores } from "./sweeps.js"
import { timingScores } from "./lead-time.js"
import { overfittingScore, overfittingSentence } from "./overfitting.js"
import { redactSealed } from "./redact.js"
import type { RunRecord } from "../domain/run.js"
import { sealOrganism } from "./seal.js"

export type { RunRecord }

interface Decided {
  readonly organism: string
  readonly replicate: number
  readonly outcome: Outcome | "error"
}

const emptyCounts = (): { -readonly [K in keyof OutcomeCounts]: number } => ({
  caught: 0,
  missed: 0,
  falseAlarm: 0,
  correctPass: 0,
  error: 0
})

const countOutcomes = (results: ReadonlyArray<Decided>): OutcomeCounts => {
  const counts = emptyCounts()
  for (const r of results) {
    switch (r.outcome) {
      case "caught":
        counts.caught++
        break
      case "missed":
        counts.missed++
        break
      case "false-alarm":
        counts.falseAlarm++
        break
      case "correct-pass":
        counts.correctPass++
        break
      case "error":
        counts.error++
        break
    }
  }
  return counts
}

const ratesWith = (statistics: ResolvedAudit["statistics"]) => (counts: OutcomeCounts) => ({
  sensitivity: proportionInterval(statistics.interval, counts.caught, counts.caught + counts.missed, statistics.confidence),
  specificity: proportionInterval(statistics.interval, counts.correctPass, counts.correctPass + counts.falseAlarm, statistics.confidence)
})

/** How a sequential evaluation's cells spent their samples, or undefined for a fixed-n one. */
const sequentialScore = (evaluation: ResolvedEvaluation, cells: ReadonlyArray<CellResult>): SequentialScore | undefined => {
  const design = evaluation.sequential
  if (design === undefined) return undefined
  const measured = cells.flatMap((c) => (c._tag === "Measured" ? [c] : []))
  const fixedN = evaluation.dataset.samples.length
  const used = measured.reduce((sum, c) => sum + c.n, 0)
  return {
    method: design.method,
    fixedN,
    meanSamplesUsed: measured.length === 0 ? 0 : round(used / measured.length),
    savedFraction: measured.length === 0 ? 0 : round(1 - used / (fixedN * measured.length)),
    undecided: measured.filter((c) => c.sequentialVerdict === "undecided").length
  }
}

const meanOf = (xs: ReadonlyArray<number>): number | null => (xs.length === 0 ? null : round(mean(xs)))

const round = (x: number): number => Math.round(x * 1e6) / 1e6

const groupBy = <A>(items: ReadonlyArray<A>, key: (a: A) => string): Map<string, Array<A>> => {
  const groups = new Map<string, Array<A>>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group === undefined) groups.set(k, [item])
    else group.push(item)
  }
  return groups
}

const cellOutcome = (c: CellResult): Decided => ({
  organism: c.organism,
  replicate: c.replicate,
  outcome: c._tag === "Measured" ? c.outcome : "error"
})

const triggerOutcome = (t: TriggerResult): Decided => ({
  organism: t.organism,
  replicate: t.replicate,
  outcome: t._tag === "Decided" ? t.outcome : "error"
})

const datasetScore = ({ source, samples, origin }: ResolvedDataset): DatasetScore => {
  if (origin === undefined) return { source, format: "inline", records: samples.length, skipped: 0, skippedExamples: [] }
  const { subset, baseline } = origin
  return {
    source,
    format: origin.format,
    records: origin.records,
    skipped: origin.skipped,
    skippedExamples: origin.skippedExamples,
    ...(subset === undefined ? {} : { subset }),
    ...(baseline === undefined ? {} : { baseline })
  }
}

const SEVERITY_ORDER = ["critical", "high", "medium"] as const
const KIND_ORDER = ["trigger-miss", "escape", "commitment-timing", "overfitting", "manipulation-check", "grader-fault", "evaluation-miss", "false-alarm", "errors", "dataset"] as const

const fmt = (x: number): string => x.toFixed(2)

/** Locale-independent order, so findings sort the same on every machine. */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Scores a run from its stored results: sensitivity and specificity per evaluation and
 * trigger, bias per evaluation and organism, escapes, and findings ranked by severity.
 * Organisms that failed their manipulation check are reported but not scored.
 */
export const summarize = (
  audit: ResolvedAudit,
  run: RunRecord,
  cells: ReadonlyArray<CellResult>,
  triggerResults: ReadonlyArray<TriggerResult>,
  checks: ReadonlyArray<ManipulationCheck>,
  graders: ReadonlyArray<GraderScore> = [],
  /** Per-sample scores of the evaluations in paired comparisons. */
  sampleScores: ReadonlyArray<SampleScore> = [],
  options: {
    /** Show held-out organisms in full instead of by their salted hash. */
    readonly unseal?: boolean
    /** The adversarial search's result, measured before scoring (scoring never measures). */
    readonly search?: SearchScore | null
  } = {}
): Summary => {
  const rates = ratesWith(audit.statistics)
  const checkOf = new Map(checks.map((c) => [c.organism, c]))
  const profiles = organismProfiles(audit)
  const scored = new Set(profiles.filter((o) => checkOf.get(o.id)?.passed === true).map((o) => o.id))
  const cellsByEvaluation = groupBy(cells.filter((c) => scored.has(c.organism)), (c) => c.evaluation)
  const triggersById = groupBy(triggerResults.filter((t) => scored.has(t.organism)), (t) => t.trigger)
  const findings: Array<Finding> = []
  const orderedOrganisms = profiles.filter((o) => scored.has(o.id))

  const evaluations: Array<EvaluationScore> = audit.evaluations.map((evaluation) => {
    const evalCells = cellsByEvaluation.get(evaluation.id) ?? []
    const byOrganism = groupBy(evalCells, (c) => c.organism)
    const counts = countOutcomes(evalCells.map(cellOutcome))
    const sequential = sequentialScore(evaluation, evalCells)
    const organisms = orderedOrganisms.map((o) => {
      const own = byOrganism.get(o.id) ?? []
      const measured = own.flatMap((c) => (c._tag === "Measured" ? [c.measured] : []))
      const truth = own.find((c) => c._tag === "Measured")?.truth ?? null
      const outcomes = countOutcomes(own.map(cellOutcome))
      const measuredMean = measured.length === 0 ? null : round(mean(measured))
      const bias = measuredMean === null || truth === null ? null : round(measuredMean - truth)
      const measuredCells = own.flatMap((c) => (c._tag === "Measured" ? [c] : []))
      const standardError = meanOf(measuredCells.flatMap((c) => (c.standardError === undefined ? [] : [c.standardError])))
      const biasInterval = truth === null ? null : biasSummary(measured, truth, audit.statistics.confidence)
      const clusteredStandardError = meanOf(measuredCells.flatMap((c) => (c.clusteredStandardError === undefined ? [] : [c.clusteredStandardError])))
      const shouldFire = own.some((c) => c._tag === "Measured" && c.shouldFire)
      if (outcomes.missed > 0) {
        findings.push({
          severity: outcomes.missed * 2 >= own.length ? "high" : "medium",
          kind: "evaluation-miss",
          subject: evaluation.id,
          organism: o.id,
          message: `Evaluation ${evaluation.id} missed ${o.id} in ${outcomes.missed} of ${own.length} replicates: measured ${fmt(measuredMean ?? Number.NaN)} against a true ${fmt(truth ?? Number.NaN)} (bias ${fmt(bias ?? Number.NaN)}; rule ${describeRule(evaluation.decision)}).`
        })
      }
      if (outcomes.falseAlarm > 0) {
        findings.push({
          severity: "medium",
          kind: "false-alarm",
          subject: evaluation.id,
          organism: o.id,
          message: `Evaluation ${evaluation.id} raised a false alarm on ${o.id} in ${outcomes.falseAlarm} of ${own.length} replicates (true ${fmt(truth ?? Number.NaN)}, measured ${fmt(measuredMean ?? Number.NaN)}).`
        })
      }
      return {
        organism: o.id,
        shouldFire,
        outcomes,
        ...(truth === null ? {} : { truth: round(truth) }),
        measuredMean,
        measuredSd: measured.length === 0 ? null : round(standardDeviation(measured)),
        bias,
        standardError,
        clusteredStandardError,
        ...(biasInterval === null ? {} : { biasInterval })
      }
    })
    const skipped = evaluation.dataset.origin?.skipped ?? 0
    if (skipped > 0) {
      findings.push({
        severity: "medium",
        kind: "dataset",
        subject: evaluation.id,
        organism: null,
        message: `Evaluation ${evaluation.id} skipped ${skipped} malformed record${skipped === 1 ? "" : "s"} of ${evaluation.dataset.source} (onBadRecord: skip): its samples are not the whole dataset.`
      })
    }
    if (counts.error > 0) {
      findings.push({
        severity: "medium",
        kind: "errors",
        subject: evaluation.id,
        organism: null,
        message: `Evaluation ${evaluation.id} has ${counts.error} cells that measured nothing (errors); they are not scored. Resume the run to retry them.`
      })
    }
    return {
      id: evaluation.id,
      title: evaluation.title ?? evaluation.id,
      measures: measureLabel(evaluation.measures),
      rule: describeRule(evaluation.decision),
      samples: evaluation.dataset.samples.length,
      epochs: evaluation.protocol.epochs,
      dataset: datasetScore(evaluation.dataset),
      power: powerSummary(evaluation.decision, evaluation.dataset.samples.length, evaluation.measures),
      ...(sequential === undefined ? {} : { sequential }),
      ...rates(counts),
      errors: counts.error,
      organisms
    }
  })

  const triggers: Array<TriggerScore> = (audit.policy?.triggers ?? []).map((trigger) => {
    const results = triggersById.get(trigger.id) ?? []
    const byOrganism = groupBy(results, (t) => t.organism)
    const counts = countOutcomes(results.map(triggerOutcome))
    const organisms = orderedOrganisms.map((o) => {
      const own = byOrganism.get(o.id) ?? []
      const outcomes = countOutcomes(own.map(triggerOutcome))
      if (outcomes.missed > 0) {
        findings.push({
          severity: "critical",
          kind: "trigger-miss",
          subject: trigger.id,
          organism: o.id,
          message: `Trigger ${trigger.id} ("${trigger.commitment}") did not fire on ${o.id} in ${outcomes.missed} of ${own.length} replicates, although its truth crosses the trigger's thresholds: the commitment would not have been required.`
        })
      }
      if (outcomes.falseAlarm > 0) {
        findings.push({
          severity: "medium",
          kind: "false-alarm",
          subject: trigger.id,
          organism: o.id,
          message: `Trigger ${trigger.id} fired on ${o.id} in ${outcomes.falseAlarm} of ${own.length} replicates although its truth does not cross the thresholds.`
        })
      }
      return { organism: o.id, shouldFire: own.some((t) => t._tag === "Decided" && t.shouldFire), outcomes }
    })
    const rule = `${describeCombination(trigger.when)} of ${trigger.conditions
      .map((c) => (c.threshold === undefined ? c.evaluation : `${c.evaluation} (threshold ${c.threshold})`))
      .join(", ")}`
    return { id: trigger.id, commitment: trigger.commitment, rule, ...rates(counts), errors: counts.error, organisms }
  })

  const organisms: Array<OrganismScore> = profiles.map((spec) => {
    const organism = spec
    const check = checkOf.get(spec.id)
    const isScored = scored.has(spec.id)
    if (check !== undefined && !check.passed) {
      findings.push({
        severity: "high",
        kind: "manipulation-check",
        subject: spec.id,
        organism: spec.id,
        message: `Organism ${spec.id} failed its manipulation check (${check.layers
          .filter((l) => !l.passed)
          .map((l) => `${l.layer}: defect rate ${fmt(l.organism.estimate ?? 0)} vs base ${fmt(l.base.estimate ?? 0)}`)
          .join("; ")}): it does not show its defect, so it is reported and not scored.`
      })
    }
    const escape = isScored && !spec.control && organism.affects.length > 0 ? escapeOf(spec.id, organism.affects.map(measureLabel)) : null
    if (escape !== null && escape.escaped > 0) {
      findings.push({
        severity: escape.rate >= 0.5 ? "high" : "medium",
        kind: "escape",
        subject: spec.id,
        organism: spec.id,
        message: `Organism ${spec.id} escapes: no evaluation or trigger that measures what its defect distorts (${organism.affects
          .map(measureLabel)
          .join(", ")}) caught it in ${escape.escaped} of ${escape.replicates} replicates.`
      })
    }
    return {
      id: spec.id,
      description: spec.description,
      control: spec.control,
      layers: spec.layers,
      truth: organism.truth,
      manipulationCheck: check === undefined ? null : { passed: check.passed, layers: check.layers },
      scored: isScored,
      escape
    }
  })

  /** Escapes count replicates where something relevant should fire and nothing relevant caught the organism. */
  function escapeOf(organism: string, affected: ReadonlyArray<string>) {
    const relevantEvaluations = audit.evaluations.filter((e) => affected.includes(measureLabel(e.measures))).map((e) => e.id)
    const relevantTriggers = (audit.policy?.triggers ?? [])
      // A trigger counts only if all its conditions measure what the defect distorts, so a
      // trigger that fired on an unrelated evaluation is not credited with the catch.
      .filter((t) => t.conditions.every((c) => relevantEvaluations.includes(c.evaluation)))
      .map((t) => t.id)
    const decided: Array<Decided & { shouldFire: boolean }> = [
      ...cells
        .filter((c) => c.organism === organism && relevantEvaluations.includes(c.evaluation))
        .map((c) => ({ ...cellOutcome(c), shouldFire: c._tag === "Measured" && c.shouldFire })),
      ...triggerResults
        .filter((t) => t.organism === organism && relevantTriggers.includes(t.trigger))
        .map((t) => ({ ...triggerOutcome(t), shouldFire: t._tag === "Decided" && t.shouldFire }))
    ]
    const replicates = Array.from({ length: run.replicates }, (_, r) => r)
    // Nothing measures the distorted quantity: uncovered, so it escapes every replicate.
    if (relevantEvaluations.length === 0) return { replicates: replicates.length, escaped: replicates.length, rate: 1 }
    const atStake = replicates.filter((r) => decided.some((d) => d.replicate === r && d.shouldFire))
    // Below every threshold in scope: the policy accepts this defect level, nothing to escape.
    if (atStake.length === 0) return null
    const escaped = atStake.filter((r) => !decided.some((d) => d.replicate === r && d.outcome === "caught")).length
    return { replicates: atStake.length, escaped, rate: round(escaped / atStake.length) }
  }

  // Only triggers with a condition on what the series grows: the rest have nothing to time.
  const timing = audit.series.flatMap((series) => {
    const grows = measureLabel(series.quantity)
    const relevant = (audit.policy?.triggers ?? []).filter((t) =>
      t.conditions.some((c) => audit.evaluations.some((e) => e.id === c.evaluation && measureLabel(e.measures) === grows))
    )
    return timingScores(series, audit.evaluations, relevant, cells, run.replicates)
  })
  for (const t of timing) {
    const late = t.atCadence.late
    if (t.crossing === null || late.n === 0 || (late.estimate ?? 0) < 0.5) continue
    findings.push({ severity: "high", kind: "commitment-timing", subject: t.trigger, organism: t.series, message: t.sentence })
  }

  const search = options.search ?? null
  if (search?.escaping !== null && search?.escaping !== undefined) {
    const e = search.escaping
    const estimate = search.estimate === null ? "" : ` Of ${search.estimate.eligible} drawn organisms that must be caught, ${search.estimate.fraction.k} escape (${fmt(search.estimate.fraction.estimate ?? 0)} [${fmt(search.estimate.fraction.lower)}, ${fmt(search.estimate.fraction.upper)}]).`
    findings.push({
      severity: "high",
      kind: "escape",
      subject: e.subject.id,
      organism: null,
      message: `Adversarial search: ${e.description} escapes ${e.subject.kind} ${e.subject.id} (fired in ${e.subject.fired} of ${e.subject.replicates} replicates)${e.minimal ? ", and no simpler organism does" : ""}; replay with seed ${e.replay.seed}, path ${e.replay.path}.${estimate}`
    })
  }

  // Held-out organisms against the development ones the evaluations' authors could see.
  const heldOutIds = (audit.heldOut?.organisms ?? []).map((o) => o.id)
  const developmentIds = [...audit.organisms, ...audit.promptedOrganisms].map((o) => o.id)
  // Counted per organism (majority outcome over replicates): replicates of one organism are not independent organisms.
  const overfittingOptions = { confidence: audit.statistics.confidence, unit: "organism" as const }
  const overfitting =
    heldOutIds.length === 0
      ? []
      : [
        ...evaluations.map((e) => overfittingScore({ subject: { kind: "evaluation", id: e.id }, rows: e.organisms, development: developmentIds, heldOut: heldOutIds }, overfittingOptions)),
        ...triggers.map((t) => overfittingScore({ subject: { kind: "trigger", id: t.id }, rows: t.organisms, development: developmentIds, heldOut: heldOutIds }, overfittingOptions))
      ]
  for (const o of overfitting) {
    if (o.overfitting) findings.push({ severity: "high", kind: "overfitting", subject: o.subject.id, organism: null, message: overfittingSentence(o) })
  }

  for (const g of graders) {
    for (const p of g.properties) {
      if (p._tag !== "Failed") continue
      findings.push({
        severity: "high",
        kind: "grader-fault",
        subject: g.evaluations.join(", "),
        organism: null,
        message: `The grader ${g.grader} (used by ${g.evaluations.join(", ")}) fails the property ${p.property}: counterexample ${describeFailure(p)}.`
      })
    }
  }
  findings.sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      byCodePoint(a.subject, b.subject) ||
      byCodePoint(a.organism ?? "", b.organism ?? "")
  )

  const seals = audit.heldOut === undefined ? [] : audit.heldOut.organisms.map((o) => sealOrganism(o, audit.heldOut?.salt ?? ""))
  const sealed = seals.length > 0 && options.unseal !== true
  const summary: Summary = {
    format: "evalaudit.summary/1",
    runId: run.id,
    audit: run.audit,
    source: run.source,
    version: run.version,
    seed: run.seed,
    replicates: run.replicates,
    statistics: audit.statistics,
    specHash: run.specHash,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    complete: run.finishedAt !== null,
    evaluations,
    triggers,
    organisms,
    graders,
    timing,
    search,
    heldOut:
      audit.heldOut === undefined
        ? null
        : { sealed, sealedAt: audit.heldOut.sealedAt ?? null, organisms: seals.map((s) => ({ id: s.id, hash: s.hash })) },
    overfitting,
    comparisons: audit.comparisons.map((c) => comparisonScores(c, sampleScores, orderedOrganisms.map((o) => o.id), audit.statistics.confidence)),
    sweeps: sweepScores(audit, cells, triggerResults, audit.statistics.interval, audit.statistics.confidence),
    escapes: organisms.filter((o) => o.escape !== null && o.escape.rate >= 0.5).map((o) => o.id),
    findings
  }
  return sealed ? redactSealed(summary, seals) : summary
}
