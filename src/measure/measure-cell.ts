import { Effect, Either } from "effect"
import type { ResolvedEvaluation } from "../domain/evaluation.js"
import { isBuiltIn } from "../domain/grader.js"
import type { Truth } from "../domain/organism.js"
import { classify, type CellResult, type SampleResult } from "../domain/outcome.js"
import { sprtRates } from "../domain/sequential.js"
import { graderFor, type Grade, type Grader } from "../evaluations/graders/grade.js"
import { gradeVerdict } from "../evaluations/judge/grade.js"
import { judgeRequest } from "../evaluations/judge/prompt.js"
import { parseVerdict } from "../evaluations/judge/verdict.js"
import type { JudgeGraderSpec } from "../domain/judge.js"
import { trueValue, type SimulatedOrganism } from "../organisms/organism.js"
import { firesOnMeasurement, firesOnTruth } from "../policy/decision.js"
import { requestSystemPrompt } from "../organisms/prompted/templates.js"
import type { PromptedOrganismSpec } from "../domain/prompted/spec.js"
import { ProviderError } from "../domain/chat.js"
import { clusteredMean } from "../stats/clustered.js"
import { boundRule } from "../stats/confidence-sequence.js"
import { standardDeviation } from "../stats/proportion.js"
import { drawFor, type Draw } from "../stats/seeded-random.js"
import { sequentialStart, sequentialStep, type SequentialState, type StoppingRule } from "../stats/sequential.js"
import { sprtRule } from "../stats/sprt.js"
import { type Message, promptText, renderSample } from "../evaluations/prompt.js"
import { Providers } from "./providers.js"
import { respond } from "../organisms/respond.js"

export interface MeasuredCell {
  readonly result: CellResult
  readonly samples: ReadonlyArray<SampleResult>
}

/** Who answers a cell: a simulated organism, or a real model prompted to carry the defect. */
export type Respondent =
  | { readonly _tag: "Simulated"; readonly id: string; readonly organism: SimulatedOrganism }
  | { readonly _tag: "Prompted"; readonly id: string; readonly spec: PromptedOrganismSpec }

export const respondentTruth = (r: Respondent): Truth => (r._tag === "Simulated" ? r.organism.truth : r.spec.truth)

/** Prompts per sample, rendered once per evaluation and shared by every cell. */
export interface PreparedEvaluation {
  readonly evaluation: ResolvedEvaluation
  readonly prompts: ReadonlyArray<{ readonly text: string; readonly demonstrations: number; readonly messages: ReadonlyArray<Message> }>
  /** A built-in grader runs in-process; a judge calls a provider. */
  readonly grading: { readonly _tag: "BuiltIn"; readonly grader: Grader } | { readonly _tag: "Judge"; readonly spec: JudgeGraderSpec }
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
    grading: isBuiltIn(spec) ? { _tag: "BuiltIn", grader: graderFor(spec) } : { _tag: "Judge", spec },
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
  state: SequentialState | undefined

  constructor(private readonly prepared: PreparedEvaluation) {
    this.state = prepared.stopping === undefined ? undefined : sequentialStart(prepared.stopping)
  }

  /** Adds a sample's mean score over epochs; true when the sequential design has decided. */
  add(sampleIndex: number, score: number): boolean {
    const { evaluation } = this.prepared
    this.scores.push(score)
    const field = evaluation.clusterBy
    if (field !== undefined) {
      const sample = evaluation.dataset.samples[sampleIndex]
      this.clusters.push(sample?.metadata?.[field] ?? `(sample ${sample?.id ?? sampleIndex})`)
    }
    if (this.state === undefined) return false
    this.state = sequentialStep(this.state, score >= 0.5 ? 1 : 0)
    return this.state.verdict !== "continue"
  }

  result(key: CellKey, truthOf: Truth): CellResult {
    const { evaluation } = this.prepared
    const n = this.scores.length
    const k = this.scores.reduce((sum, x) => sum + x, 0)
    const truth = trueValue(truthOf, evaluation.measures)
    const shouldFire = firesOnTruth(evaluation.decision, truth)
    const verdict = this.state?.verdict
    const didFire = verdict === "high" ? true : verdict === "low" ? false : firesOnMeasurement(evaluation.decision, k, n)
    const clustered = evaluation.clusterBy === undefined || n < 2 ? undefined : clusteredMean(this.scores, this.clusters).clusteredStandardError
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
      standardError: n < 2 ? 0 : standardDeviation(this.scores) / Math.sqrt(n),
      ...(clustered === undefined ? {} : { clusteredStandardError: clustered }),
      ...(verdict === undefined || verdict === "continue" ? {} : { sequentialVerdict: verdict })
    }
  }
}

const drawKeyFor = (prepared: PreparedEvaluation, key: CellKey, seed: number) => (sample: string, epoch: number): Draw =>
  drawFor({ seed, ...key, evaluation: prepared.evaluation.randomness ?? prepared.evaluation.id, sample, epoch })

/**
 * Runs one evaluation against one simulated organism in one replicate, in-process: every
 * sample and epoch is answered, graded and scored, and the mean score is decided twice, on
 * the measurement and on the organism's truth. Epochs of one sample are averaged first, so
 * the decision rule's n is the number of samples: repeated asks of one question are not
 * independent evidence. With a sequential design the cell stops as soon as the design
 * settles the decision (a sample counts as an event when its score is at least 0.5); if it
 * never does, every sample is asked and the fixed rule decides. Needs a built-in grader.
 */
export const measureCell = (
  prepared: PreparedEvaluation,
  organism: SimulatedOrganism,
  seed: number,
  replicate: number
): MeasuredCell => {
  const { evaluation, prompts, grading } = prepared
  const key = { evaluation: evaluation.id, organism: organism.spec.id, replicate }
  // The runner sends judged evaluations to measureCellWithProviders; this is only a guard.
  if (grading._tag === "Judge") return { result: { _tag: "Errored", ...key, reason: "a judge grader needs the providers" }, samples: [] }
  const grader = grading.grader
  const drawKey = drawKeyFor(prepared, key, seed)
  const tally = new Tally(prepared)
  const samples: Array<SampleResult> = []
  for (const i of sampleOrder(prepared, drawKey)) {
    const sample = evaluation.dataset.samples[i]
    if (sample === undefined) continue
    const prompt = prompts[i] ?? { text: sample.input, demonstrations: 0 }
    let sampleScore = 0
    for (let epoch = 0; epoch < evaluation.protocol.epochs; epoch++) {
      const draw = drawKey(sample.id, epoch)
      const act = organism.act({ sample, measure: evaluation.measures, prompt: prompt.text, demonstrations: prompt.demonstrations, draw })
      const response = respond(sample, act, draw)
      const grade = grader(sample, response)
      sampleScore += grade.score
      samples.push({ sample: sample.id, epoch, response, score: grade.score, explanation: grade.explanation })
    }
    if (tally.add(i, sampleScore / evaluation.protocol.epochs)) break
  }
  return { result: tally.result(key, organism.truth), samples }
}

const providerFor = (id: string) =>
  Effect.flatMap(Providers, (providers) => {
    const entry = providers.get(id)
    return entry === undefined
      ? Effect.fail(new ProviderError({ reason: "BadRequest", attempts: 0, message: `no provider "${id}" in this run` }))
      : Effect.succeed(entry)
  })

/** A prompted organism's answer: its system prompt (with a request id if it needs one), then the evaluation's messages. */
const promptedAnswer = (spec: PromptedOrganismSpec, messages: ReadonlyArray<Message>, draw: Draw) =>
  Effect.gen(function* () {
    const { provider, model } = yield* providerFor(spec.provider)
    const system = [requestSystemPrompt(spec, draw), ...messages.filter((m) => m.role === "system").map((m) => m.content)].join("\n\n")
    const turns = messages.flatMap((m) => (m.role === "system" ? [] : [{ role: m.role, content: m.content }]))
    const response = yield* provider.complete({ model, system, messages: turns, maxTokens: 1024, temperature: 0 })
    return response.text
  })

const judgeGrade = (spec: JudgeGraderSpec, sample: Parameters<Grader>[0], response: string) =>
  Effect.gen(function* () {
    const { provider, model } = yield* providerFor(spec.provider)
    const reply = yield* provider.complete({ model, ...judgeRequest(spec, sample, response) })
    // An unreadable verdict is no grade at all: scoring it 0 would read as "behaviour not
    // shown" on a propensity evaluation, so a response that derails its judge would pass.
    const verdict = parseVerdict(reply.text, spec.scale)
    if (Either.isLeft(verdict)) {
      return yield* new ProviderError({ reason: "Malformed", attempts: 1, message: `judge verdict unreadable: ${verdict.left}` })
    }
    return gradeVerdict(spec, reply.text)
  })

/**
 * `measureCell` for cells that call a model: a prompted organism answers, or a judge grades.
 * A request that finally fails makes the cell an error (never caught or missed); the
 * message is the provider's, which never carries a key.
 */
export const measureCellWithProviders = (
  prepared: PreparedEvaluation,
  respondent: Respondent,
  seed: number,
  replicate: number
): Effect.Effect<MeasuredCell, never, Providers> => {
  const { evaluation, prompts, grading } = prepared
  const key = { evaluation: evaluation.id, organism: respondent.id, replicate }
  const drawKey = drawKeyFor(prepared, key, seed)
  return Effect.gen(function* () {
    const tally = new Tally(prepared)
    const samples: Array<SampleResult> = []
    for (const i of sampleOrder(prepared, drawKey)) {
      const sample = evaluation.dataset.samples[i]
      if (sample === undefined) continue
      const prompt = prompts[i] ?? { text: sample.input, demonstrations: 0, messages: [{ role: "user" as const, content: sample.input }] }
      let sampleScore = 0
      for (let epoch = 0; epoch < evaluation.protocol.epochs; epoch++) {
        const draw = drawKey(sample.id, epoch)
        const response =
          respondent._tag === "Simulated"
            ? respond(sample, respondent.organism.act({ sample, measure: evaluation.measures, prompt: prompt.text, demonstrations: prompt.demonstrations, draw }), draw)
            : yield* promptedAnswer(respondent.spec, prompt.messages, draw)
        const grade: Grade = grading._tag === "BuiltIn" ? grading.grader(sample, response) : yield* judgeGrade(grading.spec, sample, response)
        sampleScore += grade.score
        samples.push({ sample: sample.id, epoch, response, score: grade.score, explanation: grade.explanation })
      }
      if (tally.add(i, sampleScore / evaluation.protocol.epochs)) break
    }
    return { result: tally.result(key, respondentTruth(respondent)), samples }
  }).pipe(
    Effect.catchTag("ProviderError", (e) =>
      Effect.succeed({ result: { _tag: "Errored" as const, ...key, reason: `${e.reason}: ${e.message}` }, samples: [] })
    )
  )
}
