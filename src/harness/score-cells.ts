import type { ResolvedEvaluation } from "../domain/evaluation.js"
import type { HarnessSampleRecord } from "../domain/harness.js"
import type { OrganismSpec } from "../domain/organism.js"
import type { Sample } from "../domain/sample.js"
import { measureInProcess, prepareEvaluation, type MeasuredCell } from "../measure/measure-cell.js"
import type { InProcessRespondent } from "../measure/respondent.js"
import { simulate, type SimulatedOrganism } from "../organisms/organism.js"
import { intendedScore } from "./intent.js"
import type { Placed } from "./mapping.js"

/**
 * The harness's scored answers as the audit's cells: each (evaluation, organism, replicate)
 * becomes one cell whose samples are the logged answers, graded with the harness's own
 * scores, decided by the evaluation's rule exactly as `run` decides it (the same cell loop:
 * epochs averaged per sample, sequential designs, ties at the threshold). Replicates are
 * the model name's `@r`, else the log's epochs (or promptfoo's repeats); with `@r`, a log's
 * epochs are the cell's epochs.
 */

interface Answer {
  readonly placed: Placed
  readonly replicate: number
  readonly epoch: number
}

export interface ScoredCells {
  readonly cells: ReadonlyArray<MeasuredCell>
  readonly samples: ReadonlyArray<HarnessSampleRecord>
  /** Scored answers left out of their cell, with why (an unscored epoch, a duplicate). */
  readonly dropped: ReadonlyArray<string>
  readonly replicates: number
}

const pushTo = <A>(map: Map<string, Array<A>>, k: string, value: A): void => {
  const list = map.get(k)
  if (list === undefined) map.set(k, [value])
  else list.push(value)
}

const key = (...parts: ReadonlyArray<string | number>): string => JSON.stringify(parts)

/**
 * A respondent that answers each query with the logged answer and sets it as the one the
 * grader scores next: the cell loop asks a sample's epochs in order and grades each
 * answer right after asking, so the k-th ask of a sample is its epoch k.
 */
const replay = (organism: SimulatedOrganism, bySample: ReadonlyMap<string, ReadonlyArray<Answer>>) => {
  const asked = new Map<string, number>()
  let current: Answer | undefined
  const respondent: InProcessRespondent = {
    id: organism.spec.id,
    truth: organism.truth,
    answer: (query) => {
      const k = asked.get(query.sample.id) ?? 0
      asked.set(query.sample.id, k + 1)
      current = bySample.get(query.sample.id)?.[k]
      return current?.placed.entry.response ?? ""
    }
  }
  const grader = () => {
    const entry = current?.placed.entry
    return { score: entry?.score ?? 0, explanation: `harness score${entry?.explanation ? `: ${entry.explanation}` : ""}` }
  }
  return { respondent, grader }
}

/** One cell from its answers: the samples every epoch of which was scored, in the dataset's order. */
const cellOf = (
  evaluation: ResolvedEvaluation,
  organism: SimulatedOrganism,
  replicate: number,
  answers: ReadonlyArray<Answer>,
  seed: number,
  dropped: Array<string>
): MeasuredCell => {
  const bySample = new Map<string, Array<Answer>>()
  for (const a of answers) pushTo(bySample, a.placed.sample.id, a)
  const epochs = Math.max(...[...bySample.values()].map((list) => list.length))
  const kept: Array<Sample> = []
  for (const sample of evaluation.dataset.samples) {
    const list = bySample.get(sample.id)
    if (list === undefined) continue
    list.sort((a, b) => a.epoch - b.epoch)
    const where = `${evaluation.id}/${organism.spec.id}/${replicate} sample ${sample.id}`
    if (new Set(list.map((a) => a.epoch)).size !== list.length) dropped.push(`${where}: the same epoch logged twice`)
    else if (list.length < epochs) dropped.push(`${where}: ${list.length} of ${epochs} epochs logged`)
    else kept.push(sample)
  }
  const cellKey = { evaluation: evaluation.id, organism: organism.spec.id, replicate }
  const [first, ...rest] = kept
  if (first === undefined) return { result: { _tag: "Errored", ...cellKey, reason: "no sample of this cell was scored in every epoch" }, samples: [] }
  const prepared = prepareEvaluation({ ...evaluation, dataset: { ...evaluation.dataset, samples: [first, ...rest] }, protocol: { ...evaluation.protocol, epochs } })
  const { respondent, grader } = replay(organism, bySample)
  return measureInProcess({ ...prepared, grading: { _tag: "BuiltIn", grader } }, respondent, seed, replicate)
}

/** Every cell the placed answers fill, and an errored cell for each combination no log holds. */
export const scoreCells = (placed: ReadonlyArray<Placed>, seed: number): ScoredCells => {
  const dropped: Array<string> = []
  const answers: Array<Answer> = []
  for (const p of placed) {
    if (p.entry.score === undefined) {
      dropped.push(`${p.entry.where}: the harness gave no score`)
      continue
    }
    answers.push({ placed: p, replicate: p.modelReplicate ?? p.entry.epoch, epoch: p.modelReplicate === undefined ? 0 : p.entry.epoch })
  }
  const replicates = Math.max(0, ...answers.map((a) => a.replicate + 1))
  const evaluations = new Map(answers.map((a) => [a.placed.evaluation.id, a.placed.evaluation]))
  const organisms = new Map<string, OrganismSpec>(answers.map((a) => [a.placed.organism.id, a.placed.organism]))
  const simulated = new Map([...organisms].map(([id, spec]) => [id, simulate(spec)]))
  const byCell = new Map<string, Array<Answer>>()
  for (const a of answers) pushTo(byCell, key(a.placed.evaluation.id, a.placed.organism.id, a.replicate), a)
  const cells: Array<MeasuredCell> = []
  for (const evaluation of evaluations.values()) {
    for (const organism of simulated.values()) {
      for (let replicate = 0; replicate < replicates; replicate++) {
        const list = byCell.get(key(evaluation.id, organism.spec.id, replicate))
        cells.push(
          list === undefined
            ? { result: { _tag: "Errored", evaluation: evaluation.id, organism: organism.spec.id, replicate, reason: "no harness log holds this cell" }, samples: [] }
            : cellOf(evaluation, organism, replicate, list, seed, dropped)
        )
      }
    }
  }
  const samples = answers.map(({ placed: p, replicate, epoch }): HarnessSampleRecord => {
    const organism = simulated.get(p.organism.id)
    return {
      evaluation: p.evaluation.id,
      organism: p.organism.id,
      replicate,
      sample: p.sample.id,
      epoch,
      harnessScore: p.entry.score ?? 0,
      intended: organism === undefined ? null : intendedScore(organism, p.evaluation, p.sample, p.entry.prompt, seed, p.modelReplicate ?? 0),
      response: p.entry.response,
      explanation: p.entry.explanation,
      file: p.entry.where
    }
  })
  return { cells, samples, dropped, replicates }
}
