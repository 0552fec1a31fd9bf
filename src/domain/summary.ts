import { Schema } from "effect"
import { ProportionJson } from "./proportion-json.js"

export { ProportionJson }
import { PropertyResult } from "./property-result.js"
import { Baseline } from "./baseline.js"
import { SubsetTaken } from "./dataset.js"
import { BiasIntervalJson, ComparisonScore, PowerSummary } from "./statistics-summary.js"
import { TimingScore } from "./timing-score.js"
import { SearchScore } from "./search-settings.js"
import { OverfittingScore } from "./overfitting.js"
import { FindingFigures, FindingKind } from "./finding-figures.js"
import { HarnessSummary } from "./harness.js"

export const OutcomeCounts = Schema.Struct({
  caught: Schema.Number,
  missed: Schema.Number,
  falseAlarm: Schema.Number,
  correctPass: Schema.Number,
  error: Schema.Number
})
export type OutcomeCounts = typeof OutcomeCounts.Type

/** A detection curve's point: how often the subject fired at this value, and whether the truth called for it. */
export const SweepPoint = Schema.Struct({
  value: Schema.Number,
  shouldFire: Schema.Boolean,
  detection: ProportionJson
})

export const SweepSubject = Schema.Struct({
  kind: Schema.Literal("evaluation", "trigger"),
  id: Schema.String,
  points: Schema.Array(SweepPoint),
  /** The value beyond which the subject fires at least 95% of the time, and on which side; null if no tail of the grid is. */
  detectionThreshold: Schema.NullOr(Schema.Struct({ value: Schema.Number, direction: Schema.Literal("at-or-above", "at-or-below") }))
})
export type SweepSubject = typeof SweepSubject.Type

export const SweepScore = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  parameter: Schema.String,
  archetype: Schema.String,
  values: Schema.Array(Schema.Number),
  subjects: Schema.Array(SweepSubject)
})
export type SweepScore = typeof SweepScore.Type

/** How a sequentially sampled evaluation spent its samples, against the fixed-n design. */
export const SequentialScore = Schema.Struct({
  method: Schema.String,
  fixedN: Schema.Number,
  meanSamplesUsed: Schema.Number,
  /** 1 - used / fixed over all measured cells. */
  savedFraction: Schema.Number,
  /** Cells the design left undecided (every sample asked; the fixed rule decided). */
  undecided: Schema.Number
})
export type SequentialScore = typeof SequentialScore.Type

/** Per subject (evaluation or trigger) and organism: outcomes and, for evaluations, bias. */
export const OrganismRow = Schema.Struct({
  organism: Schema.String,
  shouldFire: Schema.Boolean,
  outcomes: OutcomeCounts,
  truth: Schema.optional(Schema.Number),
  measuredMean: Schema.optional(Schema.NullOr(Schema.Number)),
  measuredSd: Schema.optional(Schema.NullOr(Schema.Number)),
  bias: Schema.optional(Schema.NullOr(Schema.Number)),
  /** Mean over replicates of the cells' standard errors (naive, and cluster-robust when the evaluation clusters). */
  standardError: Schema.optional(Schema.NullOr(Schema.Number)),
  clusteredStandardError: Schema.optional(Schema.NullOr(Schema.Number)),
  /** Mean bias over replicates with its t-interval (at least two replicates). */
  biasInterval: Schema.optional(BiasIntervalJson)
})

/** Where an evaluation's samples came from: file and format, records read and skipped, the subset taken, a real run's scores. */
export const DatasetScore = Schema.Struct({
  source: Schema.String,
  format: Schema.String,
  records: Schema.Number,
  skipped: Schema.Number,
  skippedExamples: Schema.Array(Schema.String),
  subset: Schema.optional(SubsetTaken),
  baseline: Schema.optional(Baseline)
})
export type DatasetScore = typeof DatasetScore.Type

export const EvaluationScore = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  measures: Schema.String,
  rule: Schema.String,
  samples: Schema.Number,
  epochs: Schema.Number,
  dataset: DatasetScore,
  /** What the decision rule can detect at this sample size (fixed-n design). */
  power: PowerSummary,
  sequential: Schema.optional(SequentialScore),
  sensitivity: ProportionJson,
  specificity: ProportionJson,
  errors: Schema.Number,
  organisms: Schema.Array(OrganismRow)
})
export type EvaluationScore = typeof EvaluationScore.Type

export const TriggerScore = Schema.Struct({
  id: Schema.String,
  commitment: Schema.String,
  rule: Schema.String,
  sensitivity: ProportionJson,
  specificity: ProportionJson,
  errors: Schema.Number,
  organisms: Schema.Array(OrganismRow)
})
export type TriggerScore = typeof TriggerScore.Type

export const LayerCheckJson = Schema.Struct({
  layer: Schema.String,
  probe: Schema.String,
  organism: ProportionJson,
  base: ProportionJson,
  passed: Schema.Boolean
})

/**
 * An organism's escapes from the policy: replicates in which some trigger should fire on it
 * (its truth crosses the trigger) and none that should fires. Commitments hang on triggers,
 * so this, not evaluation coverage, is the policy's verdict on the organism.
 */
export const PolicyEscape = Schema.Struct({
  organism: Schema.String,
  /** Replicates in which at least one trigger should fire on it (and was decided). */
  atStake: Schema.Number,
  /** Of those, replicates in which no trigger that should fire did. */
  escaped: Schema.Number,
  /** escaped / atStake with the summary's interval method and confidence. */
  probability: Schema.Struct({ estimate: Schema.Number, lower: Schema.Number, upper: Schema.Number }),
  /** Each trigger that should fire on it: in how many replicates, and in how many of the escaped ones it did not fire. */
  triggers: Schema.Array(Schema.Struct({ trigger: Schema.String, shouldFire: Schema.Number, missed: Schema.Number }))
})
export type PolicyEscape = typeof PolicyEscape.Type

export const OrganismScore = Schema.Struct({
  id: Schema.String,
  description: Schema.String,
  control: Schema.Boolean,
  layers: Schema.Array(Schema.String),
  truth: Schema.Struct({
    capability: Schema.Number,
    capabilities: Schema.Record({ key: Schema.String, value: Schema.Number }),
    propensities: Schema.Record({ key: Schema.String, value: Schema.Number })
  }),
  /** Null when the run stopped before the organism was checked. */
  manipulationCheck: Schema.NullOr(Schema.Struct({ passed: Schema.Boolean, layers: Schema.Array(LayerCheckJson) })),
  /** False when the manipulation check failed: reported, not scored. */
  scored: Schema.Boolean,
  /**
   * Evaluation-level coverage, not the policy's verdict: replicates in which no evaluation or
   * trigger measuring a distorted quantity caught it (see `policyEscape` for the policy's).
   */
  escape: Schema.NullOr(Schema.Struct({ replicates: Schema.Number, escaped: Schema.Number, rate: Schema.Number })),
  /** Escapes from the policy's triggers; null when unscored or no trigger should fire on it in any replicate. */
  policyEscape: Schema.NullOr(PolicyEscape)
})
export type OrganismScore = typeof OrganismScore.Type

export const GraderScore = Schema.Struct({
  grader: Schema.String,
  evaluations: Schema.Array(Schema.String),
  passed: Schema.Boolean,
  properties: Schema.Array(PropertyResult)
})
export type GraderScore = typeof GraderScore.Type

export const Severity = Schema.Literal("critical", "high", "medium")
export type Severity = typeof Severity.Type

/** A stored response a finding rests on (read back from the store), so a reader can check the claim. */
export const FindingEvidence = Schema.Struct({
  evaluation: Schema.String,
  organism: Schema.String,
  replicate: Schema.Number,
  sample: Schema.String,
  epoch: Schema.Number,
  /** The organism's response as stored: hostile text, escaped wherever it is shown. */
  response: Schema.String,
  score: Schema.Number
})
export type FindingEvidence = typeof FindingEvidence.Type

/**
 * One finding as data: what it is about and the figures it rests on. Its sentence is
 * written by the report layer from the figures (report/finding-sentence.ts), never here.
 */
export const Finding = Schema.Struct({
  severity: Severity,
  /** Always `kindOf(figures)`; kept beside them so consumers can filter without the union. */
  kind: FindingKind,
  subject: Schema.String,
  organism: Schema.NullOr(Schema.String),
  figures: FindingFigures,
  evidence: Schema.optional(FindingEvidence)
})
export type Finding = typeof Finding.Type

/** The JSON export (format `evalaudit.summary/1`); all but runId and timestamps is a pure function of spec and seed. */
export const Summary = Schema.Struct({
  format: Schema.Literal("evalaudit.summary/1"),
  runId: Schema.String,
  audit: Schema.String,
  source: Schema.String,
  version: Schema.String,
  seed: Schema.Number,
  replicates: Schema.Number,
  /** How every interval in this summary was computed. */
  statistics: Schema.Struct({ interval: Schema.Literal("wilson", "clopper-pearson"), confidence: Schema.Number }),
  specHash: Schema.String,
  startedAt: Schema.String,
  finishedAt: Schema.NullOr(Schema.String),
  complete: Schema.Boolean,
  evaluations: Schema.Array(EvaluationScore),
  triggers: Schema.Array(TriggerScore),
  organisms: Schema.Array(OrganismScore),
  /** Property battery per distinct grader; empty when the battery was skipped. */
  graders: Schema.Array(GraderScore),
  sweeps: Schema.Array(SweepScore),
  /** Paired differences between evaluation variants on the same samples (compliance and elicitation gaps). */
  comparisons: Schema.Array(ComparisonScore),
  /** Per checkpoint series and trigger: when it fires relative to when the truth crosses its threshold. */
  timing: Schema.Array(TimingScore),
  /** Held-out organisms: sealed (shown by hash only) unless the summary was made with --unseal. */
  heldOut: Schema.NullOr(
    Schema.Struct({
      sealed: Schema.Boolean,
      sealedAt: Schema.NullOr(Schema.String),
      organisms: Schema.Array(Schema.Struct({ id: Schema.String, hash: Schema.String }))
    })
  ),
  /** Per evaluation and trigger: sensitivity on development vs held-out organisms, and whether it overfits. */
  overfitting: Schema.Array(OverfittingScore),
  /** The adversarial search, when the audit asks for one. */
  search: Schema.NullOr(SearchScore),
  /** Evaluation-level coverage gaps: organisms whose `escape` rate is at least 0.5 (not the policy's verdict). */
  escapes: Schema.Array(Schema.String),
  /** The policy's verdict: every scored organism that escapes the triggers in any replicate, with its probability. */
  policyEscapes: Schema.Array(PolicyEscape),
  /** Present only for a run scored from harness logs (`evalaudit score`): the logs and the audit of the harness's scorer. */
  harness: Schema.optional(HarnessSummary),
  findings: Schema.Array(Finding)
})
export type Summary = typeof Summary.Type
