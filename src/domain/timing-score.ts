import { Schema } from "effect"
import { ProportionJson } from "./proportion-json.js"

export const Checkpoint = Schema.Int.pipe(Schema.nonNegative())

/** One replicate's timing: where the trigger first fired, or why it could not be decided. */
export const ReplicateTiming = Schema.Union(
  Schema.TaggedStruct("Decided", {
    replicate: Schema.Int,
    /** The first evaluated checkpoint inside the warning band where the trigger fired; null if it never did. */
    firing: Schema.NullOr(Checkpoint),
    /** The first evaluated checkpoint before the warning band where the trigger's firing was judged a false alarm; null if none. */
    falseAlarm: Schema.NullOr(Checkpoint),
    /** crossing - firing; null when the truth never crosses or the trigger never fires. */
    lead: Schema.NullOr(Schema.Int),
    /** The truth crossed and the trigger fired after it, or never. */
    late: Schema.Boolean
  }),
  // An evaluated checkpoint before any firing measured nothing: when it would have fired is
  // unknown, so the replicate is neither early nor late.
  Schema.TaggedStruct("Errored", {
    replicate: Schema.Int,
    checkpoint: Checkpoint,
    reason: Schema.String
  })
)
export type ReplicateTiming = typeof ReplicateTiming.Type

/** How many replicates had each lead time; `lead` null: the trigger never fired. */
export const LeadCount = Schema.Struct({ lead: Schema.NullOr(Schema.Int), count: Schema.Int })

/** Timing of one trigger at one cadence and one threshold offset, over replicates. */
export const LeadSummary = Schema.Struct({
  cadence: Schema.Int,
  /** How far each condition's threshold was lowered (0: the commitment's own thresholds). */
  buffer: Schema.Number,
  evaluated: Schema.Array(Checkpoint),
  /**
   * The first checkpoint whose truth lies in the warning band or above (the thresholds lowered
   * by `buffer`); null if none does. Only firings from here on count as warnings.
   */
  warningFrom: Schema.NullOr(Checkpoint),
  replicates: Schema.Array(ReplicateTiming),
  /** Median over decided replicates, a never-firing replicate counting as later than any; null when the median never fires. */
  medianFiring: Schema.NullOr(Schema.Number),
  medianLead: Schema.NullOr(Schema.Number),
  /** Lead times from earliest to latest, never-fired last. */
  distribution: Schema.Array(LeadCount),
  /** Late replicates over decided ones, with a Wilson 95% interval (n = 0 when the truth never crosses). */
  late: ProportionJson,
  /** Decided replicates with a firing judged a false alarm (not borderline, not precautionary) at an evaluated checkpoint before the warning band, with a Wilson 95% interval. */
  falseAlarms: ProportionJson,
  errored: Schema.Int
})
export type LeadSummary = typeof LeadSummary.Type

export const TimingScore = Schema.Struct({
  series: Schema.String,
  trigger: Schema.String,
  commitment: Schema.String,
  /** The quantity that grows, e.g. "capability:bio". */
  quantity: Schema.String,
  checkpoints: Schema.Int,
  /** True value of the grown quantity at each checkpoint, after the layers. */
  truth: Schema.Array(Schema.Number),
  /** The first checkpoint where the trigger fires on true values; null if it never does. */
  crossing: Schema.NullOr(Checkpoint),
  /** The series' own cadence, at which `atCadence` is measured. */
  atCadence: LeadSummary,
  /** One summary per compared cadence, finest first (the series' cadence among them). */
  byCadence: Schema.Array(LeadSummary),
  /** At the series' cadence, with every condition's threshold lowered by the series' buffer. */
  buffered: Schema.optional(LeadSummary),
  sentence: Schema.String
})
export type TimingScore = typeof TimingScore.Type
