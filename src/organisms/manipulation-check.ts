/**
 * The calibration check: before an organism is scored, each defect layer must show on its
 * probe at the rate it declares. A significance test against the base (the check this
 * replaces) drops organisms whose defect is rare but real and passes ones far from their
 * declared truth; calibration tests the number every cell is scored against.
 */
import type { OrganismSpec } from "../domain/organism.js"
import { wilson } from "../stats/proportion.js"
import { drawFor } from "../stats/seeded-random.js"
import { baseBehaviour, type Behaviour, type Probe } from "./layers.js"
import { simulate } from "./organism.js"
import type { LayerCheck, ManipulationCheck } from "../domain/run.js"

export type { LayerCheck, ManipulationCheck }

/** Eligible probes are drawn until this many defects are expected (a rate's interval is then informative)... */
export const EXPECTED_EVENTS = 20

/** ...or until this many probes per layer: a declared rate of 1 in 10,000 is checked at its expected 20. */
export const MAX_PROBES = 200_000

/**
 * The interval the declared rate must lie in. Wide on purpose: a calibrated organism with a
 * few layers would fail a 95% check often enough to drop real organisms; 99.9% fails one
 * calibrated layer in a thousand, while a defect off by a factor of two at 20 expected events
 * still falls outside it.
 */
export const CALIBRATION_CONFIDENCE = 0.999

/** Eligible probes needed for `EXPECTED_EVENTS` defects at the declared rate, at least `minimum`. */
export const probesNeeded = (declared: number, minimum: number): number =>
  declared > 0 ? Math.max(minimum, Math.ceil(EXPECTED_EVENTS / declared)) : minimum

export const calibrateLayer = (
  act: Behaviour,
  inner: Behaviour,
  probe: Probe,
  key: { seed: number; organism: string; evaluation: string },
  minimum: number
): Omit<LayerCheck, "layer" | "probe"> => {
  const needed = probesNeeded(probe.declared, minimum)
  const eligible = probe.eligible ?? ((a) => !probe.isDefect(a))
  let asked = 0
  let counted = 0
  let defects = 0
  let innerDefects = 0
  while (counted < needed && asked < MAX_PROBES) {
    const id = `probe-${asked}`
    const draw = drawFor({ ...key, sample: id, epoch: 0, replicate: 0 })
    const sample = { id, input: probe.prompt, choices: ["a", "b", "c", "d"], target: "A" }
    const query = { sample, measure: probe.measure, prompt: probe.prompt, demonstrations: probe.demonstrations, draw }
    const innerAct = inner(query)
    asked++
    if (probe.isDefect(innerAct)) innerDefects++
    if (!eligible(innerAct)) continue
    counted++
    if (probe.isDefect(act(query))) defects++
  }
  const measured = wilson(defects, counted, CALIBRATION_CONFIDENCE)
  return {
    organism: measured,
    base: wilson(innerDefects, asked),
    declared: probe.declared,
    probes: asked,
    passed: counted > 0 && measured.lower <= probe.declared && probe.declared <= measured.upper
  }
}

/**
 * Checks each layer against the organism just under it (its base and the layers inside it),
 * on the same draws: among the probes where that organism shows no defect, the layer's defect
 * rate must have the declared rate inside its 99.9% interval. Probes are sized from the
 * declared rate (`EXPECTED_EVENTS`), at least `minimum` and at most `MAX_PROBES`.
 */
export const manipulationCheck = (spec: OrganismSpec, seed: number, minimum: number): ManipulationCheck => {
  const { layers } = simulate(spec)
  // Layers are listed outermost first: the organism under layer i is the base wrapped by the layers after it.
  const under = (i: number): Behaviour => layers.slice(i + 1).reduceRight<Behaviour>((inner, layer) => layer.wrap(inner), baseBehaviour(spec.base))
  const checks = layers.map((layer, i): LayerCheck => {
    const key = { seed, organism: spec.id, evaluation: `manipulation-check:${i}` }
    const inner = under(i)
    return { layer: layer.name, probe: layer.probe.prompt, ...calibrateLayer(layer.wrap(inner), inner, layer.probe, key, minimum) }
  })
  return { organism: spec.id, passed: checks.every((l) => l.passed), layers: checks }
}
