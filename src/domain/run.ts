import type { MeasuredQuantity } from "./measured-truth.js"
import type { ProportionJson } from "./proportion-json.js"

/** A run as the store records it: which audit, which engine version, which seed and how many replicates. */
export interface RunRecord {
  readonly id: string
  readonly audit: string
  readonly source: string
  readonly version: string
  readonly seed: number
  readonly replicates: number
  readonly specHash: string
  readonly startedAt: string
  readonly finishedAt: string | null
}

/** One sample's score (mean over its epochs) in one cell; per-epoch scores may be passed too, they are averaged. */
export interface SampleScore {
  readonly evaluation: string
  readonly organism: string
  readonly replicate: number
  readonly sample: string
  readonly score: number
}

/**
 * Result of probing one defect layer. `organism`: its defect rate where the organism under it
 * shows none, with the interval the declared rate must lie in; `base`: the organism under it.
 */
export interface LayerCheck {
  readonly layer: string
  readonly probe: string
  readonly organism: typeof ProportionJson.Type
  readonly base: typeof ProportionJson.Type
  /** The rate the layer declares (absent in checks stored before calibration). */
  readonly declared?: number | undefined
  /** Probes asked in all. */
  readonly probes?: number | undefined
  /** "shown": a real model's check, passed when its defect shows more under its trigger than without it. */
  readonly rule?: "shown" | undefined
  readonly passed: boolean
}

/** Whether an organism showed its defects under their own triggers before it was scored. */
export interface ManipulationCheck {
  readonly organism: string
  readonly passed: boolean
  readonly layers: ReadonlyArray<LayerCheck>
  /**
   * A prompted or external organism's truth as its calibration measured it (absent for
   * simulated organisms, whose truth is derived, and in checks stored before this field).
   */
  readonly truth?: ReadonlyArray<MeasuredQuantity> | undefined
}
