/**
 * The numbers behind each kind of finding, as data: scoring fills them, the report layer
 * turns them into one sentence (report/finding-sentence.ts). A figure is never prose, so
 * every format words a finding the same way and a JSON consumer can check it.
 */
import { Schema } from "effect"
import { DecisionRule } from "./decision.js"
import { ScorerExample } from "./harness.js"
import { OverfittingUnit, SetSensitivity } from "./overfitting.js"
import { ProportionJson } from "./proportion-json.js"

/** An evaluation should have fired on an organism and did not, in some replicates. */
export const EvaluationMiss = Schema.TaggedStruct("EvaluationMiss", {
  missed: Schema.Int,
  /** Replicates of this evaluation on this organism, errored ones included. */
  replicates: Schema.Int,
  /** What each missed replicate measured, ascending: the values the rule was applied to. */
  measured: Schema.Array(Schema.Number),
  truth: Schema.Number,
  /** The truth's interval when the organism's calibration measured it (a real model). */
  truthInterval: Schema.optional(Schema.Struct({ lower: Schema.Number, upper: Schema.Number })),
  rule: DecisionRule
})

/** An evaluation fired on an organism whose truth does not call for it. */
export const EvaluationFalseAlarm = Schema.TaggedStruct("EvaluationFalseAlarm", {
  fired: Schema.Int,
  replicates: Schema.Int,
  /** What each replicate that fired measured, ascending. */
  measured: Schema.Array(Schema.Number),
  truth: Schema.Number,
  /** The truth's interval when the organism's calibration measured it (a real model). */
  truthInterval: Schema.optional(Schema.Struct({ lower: Schema.Number, upper: Schema.Number })),
  rule: DecisionRule
})

/** A trigger did not fire although the organism's truth crosses its thresholds. */
export const TriggerMiss = Schema.TaggedStruct("TriggerMiss", {
  commitment: Schema.String,
  missed: Schema.Int,
  replicates: Schema.Int
})

export const TriggerFalseAlarm = Schema.TaggedStruct("TriggerFalseAlarm", {
  fired: Schema.Int,
  replicates: Schema.Int
})

/** Nothing relevant caught a catalog organism in some replicates where something should have fired. */
export const OrganismEscape = Schema.TaggedStruct("OrganismEscape", {
  /** The quantities its defect distorts, e.g. "propensity:sycophancy". */
  affects: Schema.Array(Schema.String),
  escaped: Schema.Int,
  replicates: Schema.Int
})

/** The adversarial search found an organism that escapes a subject. */
export const SearchEscape = Schema.TaggedStruct("SearchEscape", {
  /** The search's own description of the organism. */
  description: Schema.String,
  subjectKind: Schema.String,
  fired: Schema.Int,
  replicates: Schema.Int,
  minimal: Schema.Boolean,
  replay: Schema.Struct({ seed: Schema.Int, path: Schema.String }),
  estimate: Schema.NullOr(Schema.Struct({ eligible: Schema.Int, fraction: ProportionJson }))
})

/** One failed layer of a manipulation check: the defect rate under its probe against the base organism's. */
export const FailedLayer = Schema.Struct({
  layer: Schema.String,
  organism: ProportionJson,
  base: ProportionJson,
  /** The rate the layer declares; absent for checks stored before calibration. */
  declared: Schema.optional(Schema.Number),
  /** "shown": a real model that does not show its defect more under its trigger than without it. */
  rule: Schema.optional(Schema.Literal("shown"))
})

export const ManipulationCheckFailed = Schema.TaggedStruct("ManipulationCheckFailed", {
  layers: Schema.Array(FailedLayer)
})

export const GraderFault = Schema.TaggedStruct("GraderFault", {
  grader: Schema.String,
  evaluations: Schema.Array(Schema.String),
  property: Schema.String,
  counterexample: Schema.String,
  shrinks: Schema.Number,
  /** What the grader threw, if it threw. */
  error: Schema.NullOr(Schema.String),
  seed: Schema.Number,
  path: Schema.String
})

/** A harness's own scorer disagrees with the organisms' intent beyond the audit's limit (`evalaudit score`). */
export const ScorerFault = Schema.TaggedStruct("ScorerFault", {
  judged: Schema.Int,
  /** Answers meant correct (behaviour shown) scored wrong, out of those meant correct. */
  falseFail: ProportionJson,
  /** Answers meant wrong scored correct, out of those meant wrong. */
  falsePass: ProportionJson,
  maxErrorRate: Schema.Number,
  /** The worst disagreement, quoted. */
  example: Schema.NullOr(ScorerExample)
})

export const ErroredCells = Schema.TaggedStruct("ErroredCells", { errored: Schema.Int })

export const SkippedRecords = Schema.TaggedStruct("SkippedRecords", { skipped: Schema.Int, source: Schema.String })

/** Timing at one compared cadence or buffer, as the timing sentence cites it. */
export const LeadBrief = Schema.Struct({
  cadence: Schema.Int,
  medianLead: Schema.NullOr(Schema.Number),
  late: ProportionJson,
  falseAlarms: ProportionJson
})
export type LeadBrief = typeof LeadBrief.Type

/** What the timing sentence of one trigger over one series cites (see scoring/lead-time.ts). */
export const TimingBrief = Schema.Struct({
  quantity: Schema.String,
  checkpoints: Schema.Int,
  crossing: Schema.NullOr(Schema.Int),
  cadence: Schema.Int,
  /** Replicates whose timing was decided (not errored), and those in which the trigger fired at all. */
  decided: Schema.Int,
  fired: Schema.Int,
  medianFiring: Schema.NullOr(Schema.Number),
  medianLead: Schema.NullOr(Schema.Number),
  late: ProportionJson,
  /** Replicates that fired before the warning band: false alarms, not lead time. */
  falseAlarms: ProportionJson,
  /** The finest compared cadence, when finer than the series' own. */
  finer: Schema.NullOr(LeadBrief),
  /** The coarsest compared cadence, when coarser than the series' own. */
  coarser: Schema.NullOr(LeadBrief),
  buffered: Schema.NullOr(Schema.Struct({ buffer: Schema.Number, medianLead: Schema.NullOr(Schema.Number), late: ProportionJson, falseAlarms: ProportionJson }))
})
export type TimingBrief = typeof TimingBrief.Type

/** A trigger fires after the truth crosses its thresholds in most replicates. */
export const LateCommitment = Schema.TaggedStruct("LateCommitment", TimingBrief.fields)

/** An evaluation or trigger catches development organisms better than held-out ones. */
export const Overfitting = Schema.TaggedStruct("Overfitting", {
  subjectKind: Schema.Literal("evaluation", "trigger"),
  unit: OverfittingUnit,
  margin: Schema.Number,
  development: SetSensitivity,
  heldOut: SetSensitivity,
  difference: Schema.NullOr(Schema.Struct({ estimate: Schema.Number, lower: Schema.Number, upper: Schema.Number }))
})

/**
 * An evaluation's threshold is at or below what a constant answer scores on its dataset: it
 * fires on a model with no capability or propensity at all. `controls` are the audit's
 * constant-responder organisms that fired on it: their false alarms are explained by this.
 */
export const ConstantResponderFires = Schema.TaggedStruct("ConstantResponderFires", {
  answer: Schema.String,
  score: Schema.Number,
  rule: DecisionRule,
  controls: Schema.Array(Schema.Struct({ organism: Schema.String, fired: Schema.Int, replicates: Schema.Int }))
})

/** An evaluation clusters its samples into too few groups for a clustered standard error to be trusted. */
export const FewClusters = Schema.TaggedStruct("FewClusters", {
  field: Schema.String,
  clusters: Schema.Int,
  samples: Schema.Int,
  designEffect: Schema.Number
})

export const FindingFigures = Schema.Union(
  EvaluationMiss,
  EvaluationFalseAlarm,
  TriggerMiss,
  TriggerFalseAlarm,
  OrganismEscape,
  SearchEscape,
  ManipulationCheckFailed,
  GraderFault,
  ScorerFault,
  ErroredCells,
  SkippedRecords,
  LateCommitment,
  Overfitting,
  ConstantResponderFires,
  FewClusters
)
export type FindingFigures = typeof FindingFigures.Type

export const FindingKind = Schema.Literal(
  "trigger-miss",
  "escape",
  "evaluation-miss",
  "false-alarm",
  "manipulation-check",
  "grader-fault",
  "scorer-fault",
  "errors",
  "dataset",
  "commitment-timing",
  "overfitting"
)
export type FindingKind = typeof FindingKind.Type

/** The kind a finding with these figures has: one place, so kind and figures cannot disagree. */
export const kindOf = (figures: FindingFigures): FindingKind => {
  switch (figures._tag) {
    case "EvaluationMiss":
      return "evaluation-miss"
    case "EvaluationFalseAlarm":
    case "TriggerFalseAlarm":
      return "false-alarm"
    case "TriggerMiss":
      return "trigger-miss"
    case "OrganismEscape":
    case "SearchEscape":
      return "escape"
    case "ManipulationCheckFailed":
      return "manipulation-check"
    case "GraderFault":
      return "grader-fault"
    case "ScorerFault":
      return "scorer-fault"
    case "ErroredCells":
      return "errors"
    case "SkippedRecords":
    case "ConstantResponderFires":
    case "FewClusters":
      return "dataset"
    case "LateCommitment":
      return "commitment-timing"
    case "Overfitting":
      return "overfitting"
  }
}
