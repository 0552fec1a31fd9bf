/**
 * The calibration check of an external organism, from its calibration evaluation measured
 * with the unlock and without it. The rule is the prompted organisms' (see
 * prompted/verdict.ts): it fails only when the unlocked value is not above the locked one (the
 * defect, or the hidden capability, is not shown at all); otherwise the unlocked measurement
 * is the truth of the quantity the evaluation measures, with its interval.
 */
import type { ResolvedEvaluation } from "../../domain/evaluation.js"
import type { ExternalCalibration, ExternalOrganismSpec } from "../../domain/external.js"
import type { ManipulationCheck } from "../../domain/run.js"
import { proportionInterval } from "../../stats/proportion.js"
import { trueValue } from "../organism.js"
import type { IntervalSettings } from "../prompted/verdict.js"
import { unlockText } from "./unlock.js"

/** What the calibration measured in one condition: the evaluation's summed score over its samples. */
export interface CalibrationMeasurement {
  readonly k: number
  readonly n: number
}

const fixed = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2))

/** No calibration: the truth is declared and there is nothing to check. */
export const declaredOnly = (spec: ExternalOrganismSpec): ManipulationCheck => ({ organism: spec.id, passed: true, layers: [] })

export const externalCheck = (
  spec: ExternalOrganismSpec,
  calibration: ExternalCalibration,
  evaluation: ResolvedEvaluation,
  locked: CalibrationMeasurement,
  unlocked: CalibrationMeasurement,
  settings: IntervalSettings
): ManipulationCheck => {
  const interval = (m: CalibrationMeasurement) => proportionInterval(settings.interval, m.k, m.n, settings.confidence)
  const on = interval(unlocked)
  const off = interval(locked)
  const passed = on.estimate !== null && on.estimate > (off.estimate ?? 0)
  const how = unlockText(calibration.unlock)
  return {
    organism: spec.id,
    passed,
    layers: [
      {
        layer: "external",
        probe: `evaluation ${evaluation.id} with ${how} vs without (${on.n} and ${off.n} samples)`,
        organism: on,
        base: off,
        probes: on.n + off.n,
        rule: "shown",
        passed
      }
    ],
    ...(passed && on.estimate !== null
      ? {
        truth: [
          {
            measure: evaluation.measures,
            estimate: on.estimate,
            lower: on.lower,
            upper: on.upper,
            confidence: settings.confidence,
            basis: `evaluation ${evaluation.id} with ${how}, ${fixed(on.k)} of ${on.n} samples`,
            declared: trueValue(spec.truth, evaluation.measures)
          }
        ]
      }
      : {})
  }
}
