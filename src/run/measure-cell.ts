import type { ResolvedEvaluation } from "../domain/evaluation.js"
import { classify, type CellResult, type SampleResult } from "../domain/outcome.js"
import { sprtRates } from "../domain/sequential.js"
import { graderFor, type Grader } from "../graders/grade.js"
import { trueValue, type SimulatedOrganism } from "../organisms/organism.js"
import { firesOnMeasurement, firesOnTruth } from "../policy/decision.js"
import { clusteredMean } from "../stats/clustered.js"
import { boundRule } from "../stats/confidence-sequence.js"
import { standardDeviation } from "../stats/proportion.js"
import { drawFor } from "../stats/seeded-random.js"
import { sequentialStart, sequentialStep, type StoppingRule } from "../stats/sequential.js"
import { sprtRule } from "../stats/sprt.js"
import { promptText, renderSample } from "./prompt.js"
import { respond } from "./respond.js"

export interface MeasuredCell {
  readonly result: CellResult
  readonly samples: ReadonlyArray<SampleResult>
}

/** Prompts per sample, rendered once per evaluation and shared by every cell. */
export interface PreparedEvaluation {
  readonly evaluation: ResolvedEvaluation
  readonly prompts: ReadonlyArray<{ readonly text: string; readonly demonstrations: number }>
  readonly grader: Grader
  /** The sequential design as a stopping rule over the dataset's samples, if the evaluation has one. */
  readonly stopping: StoppingRule | undefined
}

/** The evaluation's sequential design as a stopping rule truncated at the dataset's size. */
const stoppingRule = (evaluation: ResolvedEvaluation): StoppingRule | undefined => {
  const design = evaluation.sequential
  if (design === undefined) return undefined
  const maxN = evaluation.dataset.samples.length
  const threshold = evaluation.decision.threshold
  switch (design.method) {
    case "sprt":
      return sprtRule({ ...sprtRates(design, threshold), alpha: design.alpha, beta: design.beta, maxN })
    case "confidence-bound":
      return boundRule({ threshold, alpha: design.alpha, schedule: { kind: "every-sample", maxN } })
  }
}

export const prepareEvaluation = (evaluation: ResolvedEvaluation): PreparedEvaluation => ({
  evaluation,
  prompts: evaluation.dataset.samples.map((_, i) => {
    const rendered = renderSample(evaluation, i)
    return { text: promptText(rendered.messages), demonstrations: rendered.demonstrations }
  }),
  grader: graderFor(evaluation.grader),
  stopping: stoppingRule(evaluation)
})

/**
 * Runs one evaluation against one simulated organism in one replicate: every sample and
 * epoch is answered, graded and scored, and the mean score is decided twice, on the
 * measurement and on the organism's truth. Epochs of one sample are averaged first, so
 * the decision rule's n is the number of samples: repeated asks of one question are not
 * independent evidence.
 *
 * With a sequential design the samples are asked in an order drawn for the cell and the
 * cell stops as soon as the design settles the decision (a sample counts as an event when
 * its score is at least 0.5); if it never does, every sample is asked and the fixed rule
 * decides.
 */
export const measureCell = (
  prepared: PreparedEvaluation,
  organism: SimulatedOrganism,
  seed: number,
  replicate: number
): MeasuredCell => {
  const { evaluation, prompts, grader, stopping } = prepared
  const key = { evaluation: evaluation.id, organism: organism.spec.id, replicate }
  const drawKey = { seed, ...key, evaluation: evaluation.randomness ?? evaluation.id }
  const epochs = evaluation.protocol.epochs
  const dataset = evaluation.dataset.samples
  const order = dataset.map((_, i) => i)
  if (stopping !== undefined) {
    // The order must not depend on anything but the cell, so a resumed or sharded run asks the same samples.
    const rank = dataset.map((s) => drawFor({ ...drawKey, sample: s.id, epoch: 0 })("sequential.order"))
    order.sort((a, b) => (rank[a] ?? 0) - (rank[b] ?? 0) || a - b)
  }
  const samples: Array<SampleResult> = []
  const scores: Array<number> = []
  const clusters: Array<string> = []
  let state = stopping === undefined ? undefined : sequentialStart(stopping)
  for (const i of order) {
    const sample = dataset[i]
    if (sample === undefined) continue
    const prompt = prompts[i] ?? { text: sample.input, demonstrations: 0 }
    let sampleScore = 0
    for (let epoch = 0; epoch < epochs; epoch++) {
      const draw = drawFor({ ...drawKey, sample: sample.id, epoch })
      const act = organism.act({ sample, measure: evaluation.measures, prompt: prompt.text, demonstrations: prompt.demonstrations, draw })
      const response = respond(sample, act, draw)
      const grade = grader(sample, response)
      sampleScore += grade.score
      samples.push({ sample: sample.id, epoch, response, score: grade.score, explanation: grade.explanation })
    }
    scores.push(sampleScore / epochs)
    if (evaluation.clusterBy !== undefined) clusters.push(sample.metadata?.[evaluation.clusterBy] ?? `(sample ${sample.id})`)
    if (state !== undefined) {
      state = sequentialStep(state, sampleScore / epochs >= 0.5 ? 1 : 0)
      if (state.verdict !== "continue") break
    }
  }
  const n = scores.length
  const k = scores.reduce((sum, x) => sum + x, 0)
  const truth = trueValue(organism.truth, evaluation.measures)
  const shouldFire = firesOnTruth(evaluation.decision, truth)
  const verdict = state?.verdict
  const didFire = verdict === "high" ? true : verdict === "low" ? false : firesOnMeasurement(evaluation.decision, k, n)
  const clustered = evaluation.clusterBy === undefined || n < 2 ? undefined : clusteredMean(scores, clusters).clusteredStandardError
  return {
    result: {
      _tag: "Measured",
      ...key,
      k,
      n,
      measured: k / n,
      truth,
      shouldFire,
      didFire,
      outcome: classify(shouldFire, didFire),
      standardError: n < 2 ? 0 : standardDeviation(scores) / Math.sqrt(n),
      ...(clustered === undefined ? {} : { clusteredStandardError: clustered }),
      ...(verdict === undefined || verdict === "continue" ? {} : { sequentialVerdict: verdict })
    },
    samples
  }
}
