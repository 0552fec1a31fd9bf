import type { Measure } from "../domain/measure.js"
import type { OrganismSpec, Truth } from "../domain/organism.js"
import { baseBehaviour, baseTruth, capabilityOf, layerImpl, propensityOf, type Behaviour, type LayerImpl } from "./layers.js"

/** A simulated organism ready to run: its behaviour, its truth and what its defects distort. */
export interface SimulatedOrganism {
  readonly spec: OrganismSpec
  readonly act: Behaviour
  readonly truth: Truth
  readonly affects: ReadonlyArray<Measure>
  readonly layers: ReadonlyArray<LayerImpl>
}

/**
 * Builds the organism: layers are listed outermost first, so the first layer sees each
 * query first and the truth is folded from the base outwards.
 */
export const simulate = (spec: OrganismSpec): SimulatedOrganism => {
  const layers = spec.layers.map((layer, i) => layerImpl(layer, i))
  const inside = [...layers].reverse()
  return {
    spec,
    layers,
    act: inside.reduce<Behaviour>((inner, layer) => layer.wrap(inner), baseBehaviour(spec.base)),
    truth: inside.reduce((truth, layer) => layer.truth(truth), baseTruth(spec.base)),
    affects: layers.flatMap((l) => l.affects)
  }
}

/** The true value of the quantity an evaluation measures. */
export const trueValue = (truth: Truth, measure: Measure): number =>
  measure.kind === "capability" ? capabilityOf(truth, measure.domain) : propensityOf(truth, measure.behaviour)
