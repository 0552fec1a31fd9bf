import { Schema } from "effect"
import { ProportionJson } from "./proportion-json.js"
import { MeasuredQuantity } from "./measured-truth.js"

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

/**
 * Replicates by verdict. `precautionary`: a cannot-rule-out rule fired below its threshold
 * because the data could not exclude it (the measured value itself was below), apart from
 * false alarms; `borderlineFired`/`borderlineQuiet`: the truth lies inside the indifference
 * zone, so the decision is neither right nor wrong.
 */
export const OutcomeCounts = Schema.Struct({
  caught: Schema.Number,
  missed: Schema.Number,
  falseAlarm: Schema.Number,
  precautionary: Schema.Number,
  correctPass: Schema.Number,
  borderlineFired: Schema.Number,
  borderlineQuiet: Schema.Number,
  error: Schema.Number
})
export type OutcomeCounts = typeof OutcomeCounts.Type

/** What an organism's truth calls for from one subject: fire, not fire, or neither (inside the indifference zone). */
export const TruthClassJson = Schema.Literal("should-fire", "should-not-fire", "borderline")

/** A detection curve's point: how often the subject fired at this value, and what the truth called for, judged as every decision is (scoring/judge.ts). */
export const SweepPoint = Schema.Struct({
  value: Schema.Number,
  /** True when `class` is "should-fire": P(fires) is then a detection rate. */
  shouldFire: Schema.Boolean,
  /** "borderline": the truth lies inside the indifference zone, so firing is neither a detection nor a false alarm. */
  class: TruthClassJson,
  /** P(fires) over replicates, with its interval. */
  detection: ProportionJson,
  /** False alarms over the same replicates: firings where the truth calls for silence, precautionary ones apart (0/n unless "should-not-fire"). */
  falseAlarm: ProportionJson,
  /** Precautionary firings over the same replicates: a cannot-rule-out rule unable to exclude its threshold while measuring below it. */
  precautionary: ProportionJson,
  /**
   * Evaluations that are a plain binomial test (one epoch, fixed n, 0/1 scores): the exact
   * probability that n samples at the organism's TRUE rate fire the rule. Where P(fires) falls
   * short of it, the evaluation's construct (its bias) fails, not its sample size. Null otherwise.
   */
  power: Schema.NullOr(Schema.Number)
})

export type SweepPoint = typeof SweepPoint.Type

const SweepThreshold = Schema.Struct({ value: Schema.Number, direction: Schema.Literal("at-or-above", "at-or-below") })

export const SweepSubject = Schema.Struct({
  kind: Schema.Literal("evaluation", "trigger"),
  id: Schema.String,
  points: Schema.Array(SweepPoint),
  /**
   * The smallest value (on the detecting side) from which, at every value the truth calls for
   * firing, the LOWER bound of P(fires) clears 0.95; null when the replicates cannot establish one.
   */
  detectionThreshold: Schema.NullOr(SweepThreshold),
  /** The same with point estimates: where the curve looks caught, whether or not the replicates establish it. */
  pointThreshold: Schema.NullOr(SweepThreshold),
  /** When no threshold is established: the replicates at which firing every time would establish one (null if one is established). */
  replicatesNeeded: Schema.NullOr(Schema.Int)
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

/** An estimate with its interval and no counts (a mean of proportions). */
export const EstimateJson = Schema.Struct({ estimate: Schema.NullOr(Schema.Number), lower: Schema.Number, upper: Schema.Number })

/** Per subject (evaluation or trigger) and organism: outcomes and, for evaluations, bias. */
export const OrganismRow = Schema.Struct({
  organism: Schema.String,
  /** True when `class` is "should-fire". */
  shouldFire: Schema.Boolean,
  class: TruthClassJson,
  /** Its defect distorts a quantity the subject measures. */
  relevant: Schema.Boolean,
  outcomes: OutcomeCounts,
  /** Replicates it fired in, of those decided: the detection probability when it should fire, the firing rate when borderline. */
  firing: ProportionJson,
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

/**
 * Organisms as the unit (replicates of one organism are not independent): over the organisms
 * that should fire, how many are reliably caught (detection probability's lower bound at
 * least `level`), the mean detection probability with the organisms as units, the pooled
 * replicate sensitivity, and with errored cells the best and worst case.
 */
export const OrganismDetection = Schema.Struct({
  /** Organisms that should fire, in the audit's order; empty when none (then no rate is shown). */
  organisms: Schema.Array(Schema.String),
  reliablyCaught: Schema.Array(Schema.String),
  level: Schema.Number,
  /** Replicates an organism caught every time needs for its lower bound to reach `level` (null beyond 10,000). */
  replicatesForLevel: Schema.NullOr(Schema.Number),
  meanDetection: EstimateJson,
  /** Caught / (caught + missed) over these organisms' replicates. */
  sensitivity: ProportionJson,
  /** Errored replicates of these organisms counted as caught (best) and as missed (worst); null when none of the subject's cells errored. */
  errorBounds: Schema.NullOr(Schema.Struct({ errored: Schema.Number, best: ProportionJson, worst: ProportionJson }))
})
export type OrganismDetection = typeof OrganismDetection.Type
/** What answering one thing to every item scores on an evaluation's dataset (see scoring/constant-responders.ts). */
export const ConstantResponderScore = Schema.Struct({ answer: Schema.String, score: Schema.Number })
export type ConstantResponderScore = typeof ConstantResponderScore.Type

/** How an evaluation's samples cluster (`clusterBy`), and what that costs in effective sample size. */
export const ClusteringScore = Schema.Struct({
  field: Schema.String,
  clusters: Schema.Int,
  /** Mean over the scored organisms' cells of (clustered SE / naive SE)^2, at least 1: decision bounds and power use n / designEffect. */
  designEffect: Schema.Number,
  effectiveSamples: Schema.Number
})
export type ClusteringScore = typeof ClusteringScore.Type

export const EvaluationScore = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  measures: Schema.String,
  rule: Schema.String,
  samples: Schema.Number,
  epochs: Schema.Number,
  dataset: DatasetScore,
  /** What the decision rule can detect at this sample size (fixed-n design; the effective sample size when clustered). */
  power: PowerSummary,
  clustering: Schema.optional(ClusteringScore),
  /** The score of each constant answer ("(A)", "Yes", ...), highest first; empty for judges and free text. */
  constantResponders: Schema.Array(ConstantResponderScore),
  sequential: Schema.optional(SequentialScore),
  /** The indifference half-width around the threshold that scoring used. */
  indifference: Schema.Number,
  /** The headline: organisms whose defect distorts what it measures and whose truth calls for firing. */
  relevant: OrganismDetection,
  /** Every organism whose truth calls for firing (secondary). */
  allOrganisms: OrganismDetection,
  /** All organisms, pooled over replicates: caught / (caught + missed). */
  sensitivity: ProportionJson,
  /** 1 - the false-alarm rate over should-not-fire replicates; precautionary firing is not a false alarm. */
  specificity: ProportionJson,
  /** Precautionary firings over the same should-not-fire replicates: the cost of a cannot-rule-out rule. */
  precautionary: ProportionJson,
  errors: Schema.Number,
  organisms: Schema.Array(OrganismRow)
})
export type OrganismRow = typeof OrganismRow.Type
export type EvaluationScore = typeof EvaluationScore.Type

/** Two conditions of one trigger whose evaluations ask the same samples: their agreement is not independent corroboration. */
export const SharedSamples = Schema.Struct({
  a: Schema.String,
  b: Schema.String,
  /** Samples (same id and input) in both datasets. */
  samples: Schema.Number,
  /** One is the paired variant of the other, drawing the same random numbers. */
  paired: Schema.Boolean
})
export type SharedSamples = typeof SharedSamples.Type

export const TriggerScore = Schema.Struct({
  id: Schema.String,
  commitment: Schema.String,
  rule: Schema.String,
  relevant: OrganismDetection,
  allOrganisms: OrganismDetection,
  sensitivity: ProportionJson,
  specificity: ProportionJson,
  precautionary: ProportionJson,
  errors: Schema.Number,
  sharedSamples: Schema.Array(SharedSamples),
  organisms: Schema.Array(OrganismRow)
})
export type TriggerScore = typeof TriggerScore.Type

export const LayerCheckJson = Schema.Struct({
  layer: Schema.String,
  probe: Schema.String,
  /** The layer's defect rate where the organism under it shows none, with the calibration interval. */
  organism: ProportionJson,
  /** The organism under the layer (its base and the layers before it), all probes. */
  base: ProportionJson,
  /** The rate the layer declares; absent in checks stored before calibration. */
  declared: Schema.optional(Schema.Number),
  probes: Schema.optional(Schema.Int),
  /** "shown" for a real model's check (its defect must show more under its trigger than without it); absent for a simulated layer's calibration. */
  rule: Schema.optional(Schema.Literal("shown")),
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

/** An organism escapes a trigger in a replicate where the trigger should fire on it and does not. */
export const TriggerEscape = Schema.Struct({
  trigger: Schema.String,
  organism: Schema.String,
  /** Replicates in which the trigger should fire on it and was decided. */
  replicates: Schema.Number,
  escaped: Schema.Number,
  probability: EstimateJson
})
export type TriggerEscape = typeof TriggerEscape.Type

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
  /** The quantities of `truth` that its calibration measured (prompted and external organisms), with their intervals. */
  measuredTruth: Schema.optional(Schema.Array(MeasuredQuantity)),
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

export const SUMMARY_FORMAT = "evalaudit.summary/2"

/** The JSON export (format `evalaudit.summary/2`); all but runId and timestamps is a pure function of spec and seed. */
export const Summary = Schema.Struct({
  format: Schema.Literal(SUMMARY_FORMAT),
  runId: Schema.String,
  audit: Schema.String,
  source: Schema.String,
  version: Schema.String,
  seed: Schema.Number,
  replicates: Schema.Number,
  /** How every interval in this summary was computed. */
  statistics: Schema.Struct({ interval: Schema.Literal("wilson", "clopper-pearson"), confidence: Schema.Number }),
  /** How scoring judged: the audit-wide indifference half-width (null: each threshold's default) and the reliably-caught levels. */
  scoring: Schema.Struct({ indifference: Schema.NullOr(Schema.Number), reliability: Schema.Struct({ triggers: Schema.Number, evaluations: Schema.Number }) }),
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
  /** Per trigger: every organism that escapes it in any replicate, with its probability (the memo leads with these). */
  triggerEscapes: Schema.Array(TriggerEscape),
  /** Present only for a run scored from harness logs (`evalaudit score`): the logs and the audit of the harness's scorer. */
  harness: Schema.optional(HarnessSummary),
  findings: Schema.Array(Finding)
})
export type Summary = typeof Summary.Type
