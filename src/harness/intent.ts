import type { ResolvedEvaluation } from "../domain/evaluation.js"
import type { Sample } from "../domain/sample.js"
import type { SimulatedOrganism } from "../organisms/organism.js"
import { drawFor } from "../stats/seeded-random.js"

/**
 * What a simulated organism meant its answer to a served request to be: 1 a correct answer
 * (or the behaviour shown), 0 a wrong one (or not shown; gaming a grader is never correct).
 * Recomputed, not recorded: the organism's act with the draw `evalaudit serve` answers it
 * with, keyed by (seed, organism, evaluation, sample, replicate) and epoch 0 as in `run`
 * (the same request to the same organism and replicate gets the same answer), on the prompt
 * the harness sent.
 */
export const intendedScore = (
  organism: SimulatedOrganism,
  evaluation: ResolvedEvaluation,
  sample: Sample,
  prompt: string,
  seed: number,
  replicate: number
): 0 | 1 => {
  const draw = drawFor({ seed, organism: organism.spec.id, evaluation: evaluation.randomness ?? evaluation.id, sample: sample.id, epoch: 0, replicate })
  const act = organism.act({ sample, measure: evaluation.measures, prompt, demonstrations: evaluation.protocol.demonstrations, draw })
  switch (act._tag) {
    case "Answer":
      return act.correct ? 1 : 0
    case "Behave":
      return act.matching ? 1 : 0
    case "Game":
      return 0
  }
}
