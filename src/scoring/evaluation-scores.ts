/** Per evaluation: outcome rates, and per scored organism its outcomes, bias and spread. */
import type { ResolvedDataset } from "../domain/dataset.js"
import type { ResolvedEvaluation } from "../domain/evaluation.js"
import { measureLabel } from "../domain/measure.js"
import type { CellResult } from "../domain/outcome.js"
import type { ClusteringScore, DatasetScore, EvaluationScore, SequentialScore } from "../domain/summary.js"
import { describeRule, designEffect } from "../policy/decision.js"
import { mean, standardDeviation } from "../stats/proportion.js"
import { biasSummary } from "./bias-summary.js"
import { indifferenceOf } from "../policy/indifference.js"
import { subjectScores, type RowCore } from "./detection.js"
import { constantResponderScores } from "./constant-responders.js"
import { groupBy, meanOf, round } from "./outcome-counts.js"
import { powerSummary } from "./power-summary.js"
import type { ScoringInput, Scope } from "./scoring-input.js"

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

/** Clusters of the dataset and the mean design effect over measured cells, when the evaluation names a cluster field. */
const clusteringScore = (evaluation: ResolvedEvaluation, cells: ReadonlyArray<CellResult>): ClusteringScore | undefined => {
  const field = evaluation.clusterBy
  if (field === undefined) return undefined
  const samples = evaluation.dataset.samples
  // As the cell tally labels them: a sample without the field is a cluster of its own.
  const clusters = new Set(samples.map((s) => s.metadata?.[field] ?? `\u0000${s.id}`)).size
  const effects = cells.flatMap((c) => (c._tag === "Measured" ? [designEffect(c.standardError, c.clusteredStandardError)] : []))
  const effect = effects.length === 0 ? 1 : round(mean(effects))
  return { field, clusters, designEffect: effect, effectiveSamples: round(samples.length / effect) }
}

/** One organism's row: its verdicts over replicates, and the measured values against its truth. */
const organismRow = (core: RowCore, own: ReadonlyArray<CellResult>, confidence: number): EvaluationScore["organisms"][number] => {
  const measuredCells = own.flatMap((c) => (c._tag === "Measured" ? [c] : []))
  const measured = measuredCells.map((c) => c.measured)
  const truth = measuredCells[0]?.truth ?? null
  const measuredMean = measured.length === 0 ? null : round(mean(measured))
  const biasInterval = truth === null ? null : biasSummary(measured, truth, confidence)
  return {
    ...core,
    ...(truth === null ? {} : { truth: round(truth) }),
    measuredMean,
    measuredSd: measured.length === 0 ? null : round(standardDeviation(measured)),
    bias: measuredMean === null || truth === null ? null : round(measuredMean - truth),
    standardError: meanOf(measuredCells.flatMap((c) => (c.standardError === undefined ? [] : [c.standardError]))),
    clusteredStandardError: meanOf(measuredCells.flatMap((c) => (c.clusteredStandardError === undefined ? [] : [c.clusteredStandardError]))),
    ...(biasInterval === null ? {} : { biasInterval })
  }
}

/** Every evaluation's score over the scored organisms' cells (errored cells count as errors, never outcomes). */
export const evaluationScores = ({ audit, cells }: ScoringInput, scope: Scope): ReadonlyArray<EvaluationScore> => {
  const byEvaluation = groupBy(cells.filter((c) => scope.scored.has(c.organism)), (c) => c.evaluation)
  const affects = new Map(scope.profiles.map((p) => [p.id, p.affects.map(measureLabel)]))
  return audit.evaluations.map((evaluation) => {
    const own = byEvaluation.get(evaluation.id) ?? []
    const byOrganism = groupBy(own, (c) => c.organism)
    const measure = measureLabel(evaluation.measures)
    // Relevant: the organism's defect distorts the quantity this evaluation measures.
    const relevantTo = (organism: string) => (affects.get(organism) ?? []).includes(measure)
    const { rows, ...scores } = subjectScores(scope.judged.evaluations.get(evaluation.id) ?? [], scope, relevantTo, scope.reliability.evaluations, audit.statistics)
    const sequential = sequentialScore(evaluation, own)
    const clustering = clusteringScore(evaluation, own)
    return {
      id: evaluation.id,
      title: evaluation.title ?? evaluation.id,
      measures: measureLabel(evaluation.measures),
      rule: describeRule(evaluation.decision),
      samples: evaluation.dataset.samples.length,
      epochs: evaluation.protocol.epochs,
      dataset: datasetScore(evaluation.dataset),
      power: powerSummary(evaluation.decision, Math.max(1, Math.floor(clustering?.effectiveSamples ?? evaluation.dataset.samples.length)), evaluation.measures),
      ...(clustering === undefined ? {} : { clustering }),
      constantResponders: constantResponderScores(evaluation),
      ...(sequential === undefined ? {} : { sequential }),
      indifference: round(indifferenceOf(evaluation, audit.indifference)),
      ...scores,
      organisms: rows.map((row) => organismRow(row, byOrganism.get(row.organism) ?? [], audit.statistics.confidence))
    }
  })
}
