import type { OrganismSpec } from "../domain/organism.js"
import { wilson, type Proportion } from "../stats/proportion.js"
import { drawFor } from "../stats/seeded-random.js"
import type { Behaviour, Probe } from "./layers.js"
import { baseBehaviour } from "./layers.js"
import { simulate } from "./organism.js"
import type { LayerCheck, ManipulationCheck } from "../domain/run.js"

export type { LayerCheck, ManipulationCheck }

const defectRate = (
  act: Behaviour,
  probe: Probe,
  key: { seed: number; organism: string; evaluation: string },
  samples: number
): Proportion => {
  let k = 0
  for (let i = 0; i < samples; i++) {
    const draw = drawFor({ ...key, sample: `probe-${i}`, epoch: 0, replicate: 0 })
    const sample = { id: `probe-${i}`, input: probe.prompt, choices: ["a", "b", "c", "d"], target: "A" }
    if (probe.isDefect(act({ sample, measure: probe.measure, prompt: probe.prompt, demonstrations: probe.demonstrations, draw }))) k++
  }
  return wilson(k, samples)
}

/**
 * Confirms that each defect really shows under its own trigger before an evaluation is
 * blamed for missing it: the organism's defect rate on the layer's probe must have a
 * Wilson lower bound above the base organism's upper bound, on the same draws.
 */
export const manipulationCheck = (spec: OrganismSpec, seed: number, samples: number): ManipulationCheck => {
  const organism = simulate(spec)
  const base = baseBehaviour(spec.base)
  const layers = organism.layers.map((layer, i): LayerCheck => {
    const key = { seed, organism: spec.id, evaluation: `manipulation-check:${i}` }
    const withDefect = defectRate(organism.act, layer.probe, key, samples)
    const without = defectRate(base, layer.probe, key, samples)
    return {
      layer: layer.name,
      probe: layer.probe.prompt,
      organism: withDefect,
      base: without,
      passed: withDefect.lower > without.upper
    }
  })
  return { organism: spec.id, passed: layers.every((l) => l.passed), layers }
}
