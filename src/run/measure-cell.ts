import type { ResolvedEvaluation } from "../domain/evaluation.js"
import { classify, type CellResult, type SampleResult } from "../domain/outcome.js"
import { graderFor, type Grader } from "../graders/grade.js"
import { trueValue, type SimulatedOrganism } from "../organisms/organism.js"
import { firesOnMeasurement, firesOnTruth } from "../policy/decision.js"
import { drawFor } from "../stats/seeded-random.js"
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
}

export const prepareEvaluation = (evaluation: ResolvedEvaluation): PreparedEvaluation => ({
  evaluation,
  prompts: evaluation.dataset.samples.map((_, i) => {
    const rendered = renderSample(evaluation, i)
    return { text: promptText(rendered.messages), demonstrations: rendered.demonstrations }
  }),
  grader: graderFor(evaluation.grader)
})

/**
 * Runs one evaluation against one simulated organism in one replicate: every sample and
 * epoch is answered, graded and scored, and the mean score is decided twice, on the
 * measurement and on the organism's truth. Epochs of one sample are averaged first, so
 * the decision rule's n is the number of samples: repeated asks of one question are not
 * independent evidence.
 */
export const measureCell = (
  prepared: PreparedEvaluation,
  organism: SimulatedOrganism,
  seed: number,
  replicate: number
): MeasuredCell => {
  const { evaluation, prompts, grader } = prepared
  const key = { evaluation: evaluation.id, organism: organism.spec.id, replicate }
  const epochs = evaluation.protocol.epochs
  const samples: Array<SampleResult> = []
  let k = 0
  evaluation.dataset.samples.forEach((sample, i) => {
    const prompt = prompts[i] ?? { text: sample.input, demonstrations: 0 }
    let sampleScore = 0
    for (let epoch = 0; epoch < epochs; epoch++) {
      const draw = drawFor({ seed, ...key, sample: sample.id, epoch })
      const act = organism.act({ sample, measure: evaluation.measures, prompt: prompt.text, demonstrations: prompt.demonstrations, draw })
      const response = respond(sample, act, draw)
      const grade = grader(sample, response)
      sampleScore += grade.score
      samples.push({ sample: sample.id, epoch, response, score: grade.score, explanation: grade.explanation })
    }
    k += sampleScore / epochs
  })
  const n = evaluation.dataset.samples.length
  const truth = trueValue(organism.truth, evaluation.measures)
  const shouldFire = firesOnTruth(evaluation.decision, truth)
  const didFire = firesOnMeasurement(evaluation.decision, k, n)
  return {
    result: { _tag: "Measured", ...key, k, n, measured: k / n, truth, shouldFire, didFire, outcome: classify(shouldFire, didFire) },
    samples
  }
}
