import { Effect, Either } from "effect"
import type { ProviderError } from "../domain/chat.js"
import type { ResolvedEvaluation } from "../domain/evaluation.js"
import { isBuiltIn } from "../domain/grader.js"
import type { Truth } from "../domain/organism.js"
import { classify, type CellResult, type SampleResult } from "../domain/outcome.js"
import type { Sample } from "../domain/sample.js"
import { sprtRates } from "../domain/sequential.js"
import { graderFor as builtInGrader, type Grade } from "../evaluations/graders/grade.js"
import { promptText, renderSample } from "../evaluations/prompt.js"
import { trueValue } from "../organisms/organism.js"
import { designEffect, firesOnCount, firesOnMeasurement, firesOnTruth } from "../policy/decision.js"
import { clusteredMean } from "../stats/clustered.js"
import { boundRule } from "../stats/confidence-sequence.js"
import { standardDeviation } from "../stats/proportion.js"
import { drawFor, type Draw } from "../stats/seeded-random.js"
import { sequentialStart, sequentialStep, type SequentialState, type StoppingRule } from "../stats/sequential.js"
import { sprtRule } from "../stats/sprt.js"
import type { Grader, Grading } from "./grader.js"
import type { InProcessRespondent, PreparedPrompt, Query, Respondent } from "./respondent.js"
import { andThen, isEffectStep, stepToEffect, type Step } from "./step.js"
import { own } from "../domain/records.js"

export interface MeasuredCell {
  readonly result: CellResult
  readonly samples: ReadonlyArray<SampleResult>
}

/** Prompts per sample, rendered once per evaluation and shared by every cell. */
export interface PreparedEvaluation {
  readonly evaluation: ResolvedEvaluation
  readonly prompts: ReadonlyArray<PreparedPrompt>
  /** A built-in grader runs in-process; a judge calls a provider. */
  readonly grading: Grading
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
      // Truncated at the dataset's size: a cell the SPRT has not settled by then is decided by the fixed rule.
      return { ...sprtRule({ ...sprtRates(design, threshold), alpha: design.alpha, beta: design.beta, maxN }), atHorizon: () => "undecided" }
    case "confidence-bound":
      return boundRule({ threshold, alpha: design.alpha, schedule: { kind: "every-sample", maxN } })
  }
}

export const prepareEvaluation = (evaluation: ResolvedEvaluation): PreparedEvaluation => {
  const spec = evaluation.grader
  return {
    evaluation,
    prompts: evaluation.dataset.samples.map((_, i) => {
      const rendered = renderSample(evaluation, i)
      return { text: promptText(rendered.messages), demonstrations: rendered.demonstrations, messages: rendered.messages }
    }),
    grading: isBuiltIn(spec) ? { _tag: "BuiltIn", grader: builtInGrader(spec) } : { _tag: "Judge", spec },
    stopping: stoppingRule(evaluation)
  }
}

interface CellKey {
  readonly evaluation: string
  readonly organism: string
  readonly replicate: number
}

/**
 * The order samples are asked in: the dataset's, or for a sequential design an order drawn
 * for the cell (depending on nothing but the cell, so a resumed run asks the same samples).
 */
const sampleOrder = (prepared: PreparedEvaluation, drawKey: (sample: string, epoch: number) => Draw): Array<number> => {
  const dataset = prepared.evaluation.dataset.samples
  const order = dataset.map((_, i) => i)
  if (prepared.stopping === undefined) return order
  const rank = dataset.map((s) => drawKey(s.id, 0)("sequential.order"))
  return order.sort((a, b) => (rank[a] ?? 0) - (rank[b] ?? 0) || a - b)
}

/** Running totals of a cell: per-sample scores, their clusters, the sequential state. */
class Tally {
  readonly scores: Array<number> = []
  readonly clusters: Array<string> = []
  /** Sum of every epoch's score while all are whole (the exact count the point rule decides on); undefined once one is not. */
  successes: number | undefined = 0
  state: SequentialState | undefined

  constructor(private readonly prepared: PreparedEvaluation) {
    this.state = prepared.stopping === undefined ? undefined : sequentialStart(prepared.stopping)
  }

  /** Adds a sample's scores summed over epochs (stored as their mean); true when the sequential design has decided. */
  add(sampleIndex: number, sum: number, wholeScores: boolean): boolean {
    const { evaluation } = this.prepared
    const score = sum / evaluation.protocol.epochs
    this.scores.push(score)
    this.successes = wholeScores && this.successes !== undefined ? this.successes + sum : undefined
    const field = evaluation.clusterBy
    if (field !== undefined) {
      const sample = evaluation.dataset.samples[sampleIndex]
      this.clusters.push(own(sample?.metadata, field) ?? `(sample ${sample?.id ?? sampleIndex})`)
    }
    if (this.state === undefined) return false
    this.state = sequentialStep(this.state, score >= 0.5 ? 1 : 0)
    return this.state.verdict !== "continue"
  }

  /**
   * Whole scores are decided on their integer count (see `firesOnCount`); k is kept as stored
   * before for everything else. Clustered samples are decided at their effective sample size.
   */
  private decide(k: number, n: number, effect: number): boolean {
    const { decision, protocol } = this.prepared.evaluation
    return this.successes === undefined ? firesOnMeasurement(decision, k, n, effect) : firesOnCount(decision, this.successes, n, protocol.epochs, effect)
  }

  result(key: CellKey, truthOf: Truth): CellResult {
    const { evaluation } = this.prepared
    const n = this.scores.length
    const k = this.scores.reduce((sum, x) => sum + x, 0)
    const truth = trueValue(truthOf, evaluation.measures)
    const shouldFire = firesOnTruth(evaluation.decision, truth)
    const verdict = this.state?.verdict
    const standardError = n < 2 ? 0 : standardDeviation(this.scores) / Math.sqrt(n)
    const clustered = evaluation.clusterBy === undefined || n < 2 ? undefined : clusteredMean(this.scores, this.clusters).clusteredStandardError
    const didFire = verdict === "high" ? true : verdict === "low" ? false : this.decide(k, n, designEffect(standardError, clustered))
    return {
      _tag: "Measured",
      ...key,
      k,
      n,
      measured: n === 0 ? 0 : k / n,
      truth,
      shouldFire,
      didFire,
      outcome: classify(shouldFire, didFire),
      standardError,
      ...(clustered === undefined ? {} : { clusteredStandardError: clustered }),
      ...(verdict === undefined || verdict === "continue" ? {} : { sequentialVerdict: verdict })
    }
  }
}

const drawKeyFor = (prepared: PreparedEvaluation, key: CellKey, seed: number) => (sample: string, epoch: number): Draw =>
  drawFor({ seed, ...key, evaluation: prepared.evaluation.randomness ?? prepared.evaluation.id, sample, epoch })

/** One ask's outcome, handed back to the loop: the response and its grade. */
interface Answered {
  readonly response: string
  readonly grade: Grade
}

/** A sample without a rendered prompt (never the case for a prepared evaluation) is asked as its bare input. */
const barePrompt = (sample: Sample): PreparedPrompt => ({ text: sample.input, demonstrations: 0, messages: [{ role: "user", content: sample.input }] })

/**
 * The sample loop of a cell, written once: it yields each query (one sample in one epoch)
 * and is resumed with the response and its grade, by whichever interpreter runs it. Epochs
 * of one sample are averaged first, so the decision rule's n is the number of samples:
 * repeated asks of one question are not independent evidence. With a sequential design the
 * cell stops as soon as the design settles the decision (a sample counts as an event when
 * its score is at least 0.5); if it never does, every sample is asked and the fixed rule
 * decides. The mean score is decided twice, on the measurement and on the truth.
 */
function* cellLoop(prepared: PreparedEvaluation, key: CellKey, truth: Truth, seed: number): Generator<Query, MeasuredCell, Answered> {
  const { evaluation, prompts } = prepared
  const drawKey = drawKeyFor(prepared, key, seed)
  const tally = new Tally(prepared)
  const samples: Array<SampleResult> = []
  for (const i of sampleOrder(prepared, drawKey)) {
    const sample = evaluation.dataset.samples[i]
    if (sample === undefined) continue
    const prompt = prompts[i] ?? barePrompt(sample)
    let sampleScore = 0
    let wholeScores = true
    for (let epoch = 0; epoch < evaluation.protocol.epochs; epoch++) {
      const draw = drawKey(sample.id, epoch)
      const { response, grade } = yield { sample, measure: evaluation.measures, prompt: prompt.text, demonstrations: prompt.demonstrations, messages: prompt.messages, draw }
      sampleScore += grade.score
      wholeScores = wholeScores && Number.isInteger(grade.score)
      samples.push({ sample: sample.id, epoch, response, score: grade.score, explanation: grade.explanation })
    }
    if (tally.add(i, sampleScore, wholeScores)) break
  }
  return { result: tally.result(key, truth), samples }
}

type CellLoop = Generator<Query, MeasuredCell, Answered>

/** The synchronous interpreter: every answer and grade is a plain value, so the loop runs as a plain loop. */
const runInProcess = (loop: CellLoop, ask: (query: Query) => Answered): MeasuredCell => {
  let next = loop.next()
  while (next.done !== true) next = loop.next(ask(next.value))
  return next.value
}

/**
 * The general interpreter: plain steps are fed straight back; at the first Effect the rest of
 * the loop continues inside it. A generator resumes once per step, so the Effect returned
 * here must run at most once: `measureCell` makes a fresh loop each time it runs.
 */
const runSteps = <R>(loop: CellLoop, ask: (query: Query) => Step<Answered, R>, from: IteratorResult<Query, MeasuredCell>): Step<MeasuredCell, R> => {
  let next = from
  while (next.done !== true) {
    const answered = ask(next.value)
    if (isEffectStep(answered)) return andThen(answered, (a) => runSteps(loop, ask, loop.next(a)))
    next = loop.next(answered)
  }
  return next.value
}

const cellKeyOf = (prepared: PreparedEvaluation, respondent: { readonly id: string }, replicate: number): CellKey => ({
  evaluation: prepared.evaluation.id,
  organism: respondent.id,
  replicate
})

const errored = (key: CellKey, reason: string): MeasuredCell => ({ result: { _tag: "Errored", ...key, reason }, samples: [] })

/** The placeholder answer of a dry run (see `cellQueries`). */
const unanswered: Answered = { response: "", grade: { score: 0, explanation: "" } }

/**
 * The queries of a cell without a sequential design, in the order its loop asks them: they
 * depend on nothing answered, so a dry run of the loop on placeholder answers lists them.
 */
const cellQueries = (prepared: PreparedEvaluation, key: CellKey, truth: Truth, seed: number): Array<Query> => {
  const queries: Array<Query> = []
  runInProcess(cellLoop(prepared, key, truth, seed), (query) => {
    queries.push(query)
    return unanswered
  })
  return queries
}

/**
 * A provider-backed cell without a sequential design, with up to `inFlight` of its queries
 * asked at once. Answers are collected by query index and fed to the loop in its own order,
 * and every draw is keyed by sample, so the cell equals one asked sequentially. After a
 * failure no further query starts; the earliest failed query (by index, as a sequential
 * cell would meet it) names the error.
 */
const askConcurrently = <R>(
  prepared: PreparedEvaluation,
  key: CellKey,
  truth: Truth,
  seed: number,
  ask: (query: Query) => Effect.Effect<Answered, ProviderError, R>,
  inFlight: number
): Effect.Effect<MeasuredCell, never, R> =>
  Effect.gen(function* () {
    let failed = false
    const answers = yield* Effect.forEach(
      cellQueries(prepared, key, truth, seed),
      (query) =>
        // Suspended, so `failed` is read when the query's turn comes, not when the work is listed.
        Effect.suspend(() =>
          failed
            ? Effect.succeed(undefined)
            : Effect.either(ask(query)).pipe(Effect.tap((answer) => {
              failed ||= Either.isLeft(answer)
            }))
        ),
      { concurrency: inFlight }
    )
    const answered: Array<Answered> = []
    for (const answer of answers) {
      // Queries start in index order, so every query before the first failure was answered.
      if (answer === undefined || Either.isLeft(answer)) {
        const error = answer?.left
        return errored(key, error === undefined ? "no answer" : `${error.reason}: ${error.message}`)
      }
      answered.push(answer.right)
    }
    let next = 0
    return runInProcess(cellLoop(prepared, key, truth, seed), () => answered[next++] ?? unanswered)
  })

/**
 * Measures one evaluation on one respondent in one replicate: every query is answered by the
 * respondent and graded by the grader (see `cellLoop`). Answers and grades computed
 * in-process never enter Effect; one that calls a provider and finally fails makes the cell
 * an error (never caught or missed), with the provider's message, which never carries a key.
 * With `samplesInFlight` above 1, a cell without a sequential design asks that many of its
 * samples at once (see `askConcurrently`), for cells whose answers come from a provider.
 */
export const measureCell = <R = never>(
  prepared: PreparedEvaluation,
  respondent: Respondent<R>,
  grader: Grader<R>,
  seed: number,
  replicate: number,
  samplesInFlight = 1
): Effect.Effect<MeasuredCell, never, R> => {
  const key = cellKeyOf(prepared, respondent, replicate)
  // Written out rather than with `andThen` so that a plain answer and grade allocate no closure.
  const graded = (sample: Sample, response: string): Step<Answered, R> => {
    const grade = grader(sample, response)
    return isEffectStep(grade) ? Effect.map(grade, (g) => ({ response, grade: g })) : { response, grade }
  }
  const ask = (query: Query): Step<Answered, R> => {
    const response = respondent.answer(query)
    return isEffectStep(response) ? Effect.flatMap(response, (r) => stepToEffect(graded(query.sample, r))) : graded(query.sample, response)
  }
  if (samplesInFlight > 1 && prepared.stopping === undefined) {
    return askConcurrently(prepared, key, respondent.truth, seed, (query) => stepToEffect(ask(query)), samplesInFlight)
  }
  return Effect.suspend(() => {
    const loop = cellLoop(prepared, key, respondent.truth, seed)
    const cell = runSteps(loop, ask, loop.next())
    return isEffectStep(cell)
      ? Effect.catchTag(cell, "ProviderError", (e) => Effect.succeed(errored(key, `${e.reason}: ${e.message}`)))
      : Effect.succeed(cell)
  })
}

/**
 * `measureCell` for an in-process respondent and the evaluation's built-in grader, run
 * synchronously (the adversarial search and the timing series measure this way). A
 * judge-graded evaluation needs the providers, so its cell here is an error.
 */
export const measureInProcess = (prepared: PreparedEvaluation, respondent: InProcessRespondent, seed: number, replicate: number): MeasuredCell => {
  const key = cellKeyOf(prepared, respondent, replicate)
  if (prepared.grading._tag === "Judge") return errored(key, "a judge grader needs the providers")
  const grader = prepared.grading.grader
  return runInProcess(cellLoop(prepared, key, respondent.truth, seed), (query) => {
    const response = respondent.answer(query)
    return { response, grade: grader(query.sample, response) }
  })
}
