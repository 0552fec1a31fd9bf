import type { Base, DefectLayer, LayerOf, LayerTag } from "../domain/organism.js"
import { answer, behave } from "./query.js"
import { LAYER_ARCHETYPES } from "./archetypes/registry.js"
import { baseTruth, capabilityOf, propensityOf, type Behaviour, type LayerImpl } from "./archetypes/kit/behaviour.js"

export { baseTruth, capabilityOf, propensityOf, type Behaviour, type LayerImpl, type Probe } from "./archetypes/kit/behaviour.js"

/** The base answers correctly at its capability and shows behaviours at their rates. */
export const baseBehaviour = (base: Base): Behaviour => {
  const truth = baseTruth(base)
  return (q) =>
    q.measure.kind === "capability"
      ? answer(q.draw("base.correct") < capabilityOf(truth, q.measure.domain))
      : behave(q.draw("base.behave") < propensityOf(truth, q.measure.behaviour))
}

/** The tag is passed apart from the layer so the registry lookup stays correlated with it. */
const implOf = <K extends LayerTag>(tag: K, layer: LayerOf<K>, at: string): Omit<LayerImpl, "name"> => LAYER_ARCHETYPES[tag].simulate(layer, at)

/**
 * `index` is the layer's position in the organism: draw names carry it, so two layers of
 * the same kind draw independently.
 */
export const layerImpl = (layer: DefectLayer, index: number): LayerImpl => ({ name: layer._tag, ...implOf(layer._tag, layer, `#${index}`) })
