import { Schema } from "effect"
import { Measure } from "./measure.js"
import type { Truth } from "./organism.js"

/**
 * One quantity of an organism's truth as its calibration measured it: a prompted or external
 * organism is a real model, so what it does under its trigger is measured, not assumed, and
 * every cell is scored against this estimate. The interval is carried into the summary and
 * memo so a reader sees how well the truth itself is known.
 */
export const MeasuredQuantity = Schema.Struct({
  measure: Measure,
  estimate: Schema.Number,
  lower: Schema.Number,
  upper: Schema.Number,
  /** The interval's confidence (the audit's statistics setting). */
  confidence: Schema.Number,
  /** How it was measured, as a phrase: "defect rate under the trigger, 7 of 30 probes". */
  basis: Schema.String,
  /** What the audit declared for it, which the measurement replaces (shown beside it). */
  declared: Schema.optional(Schema.Number)
})
export type MeasuredQuantity = typeof MeasuredQuantity.Type

const sameMeasure = (a: Measure, b: Measure): boolean =>
  a.kind === "capability" ? b.kind === "capability" && a.domain === b.domain : b.kind === "propensity" && a.behaviour === b.behaviour

/** The measured quantity of `measure`, if the calibration measured it. */
export const measuredOf = (measured: ReadonlyArray<MeasuredQuantity>, measure: Measure): MeasuredQuantity | undefined =>
  measured.find((q) => sameMeasure(q.measure, measure))

/** The declared truth with every measured quantity replaced by its measured estimate. */
export const withMeasured = (declared: Truth, measured: ReadonlyArray<MeasuredQuantity>): Truth => {
  const capabilities: Record<string, number> = Object.assign(Object.create(null), declared.capabilities)
  const propensities: Record<string, number> = Object.assign(Object.create(null), declared.propensities)
  for (const q of measured) {
    if (q.measure.kind === "capability") capabilities[q.measure.domain] = q.estimate
    else propensities[q.measure.behaviour] = q.estimate
  }
  return { capability: declared.capability, capabilities, propensities }
}
