import type { ResolvedEvaluation } from "../domain/evaluation.js"
import { classify, type CellResult, type SampleResult } from "../domain/outcome.js"
import { graderFor, type Grader } from "../graders/grade.js"
import { trueValue, type SimulatedOrganism } from "../organisms/organism.js"
import { firesOnMeasurement, firesOnTruth } from "../policy/decision.js"
import { drawFor } from "../stats/seeded-random.js"
import { promptText, renderMessages } from "./prompt.js"
import { respond } from "./respond.js"

export interface CellKey {
  readonly evaluation: string
  readonly organism: string
  readonly replicate: number
}

export interface MeasuredCell {
  readonly result: CellResult
  readonly samples: ReadonlyArray<SampleResult>
}

/** Text prompts per sample, rendered once per evaluation and shared by every cell. */
export interface PreparedEvaluation {
  readonly evaluation: ResolvedEvaluation
  readonly prompts: ReadonlyArray<string>
  readonly grader: Grader
}

export const prepareEvaluation = (evaluation: ResolvedEvaluation): PreparedEvaluation => ({
  evaluation,
  prompts: evaluation.dataset.samples.map((_, i) => promptText(renderMessages(evaluation, i))),
  grader: graderFor(evaluation.grader)
})

/**
 * Runs one evaluation against one simulated organism in one replicate: every sample and
 * epoch is answered, graded and scored, and the mean score is decided twice, on the
 * measurement and on the organism's truth.
 */
export const measureCell = (
  prepared: PreparedEvaluation,
  organism: SimulatedOrganism,
  seed: number,
  replicate: number
): MeasuredCell => {
  const { evaluation, prompts, grader } = prepared
  const key = { evaluation: evaluation.id, organism: organism.spec.id, replicate }
  const samples: Array<SampleResult> = []
  let k = 0
  for (let epoch = 0; epoch < evaluation.protocol.epochs; epoch++) {
    evaluation.dataset.samples.forEach((sample, i) => {
      const draw = drawFor({ seed, ...key, sample: sample.id, epoch })
      const prompt = prompts[i] ?? sample.input
      const act = organism.act({ sample, measure: evaluation.measures, prompt, demonstrations: evaluation.protocol.demonstrations, draw })
      const response = respond(sample, act, draw)
      const grade = grader(sample, response)
      k += grade.score
      samples.push({ sample: sample.id, epoch, response, score: grade.score, explanation: grade.explanation })
    })
  }
  const n = samples.length
  const truth = trueValue(organism.truth, evaluation.measures)
  const shouldFire = firesOnTruth(evaluation.decision, truth)
  const didFire = firesOnMeasurement(evaluation.decision, k, n)
  return {
    result: { _tag: "Measured", ...key, k, n, measured: k / n, truth, shouldFire, didFire, outcome: classify(shouldFire, didFire) },
    samples
  }
}
