import type { ResolvedAudit } from "../domain/audit.js"
import type { ExternalOrganismSpec } from "../domain/external.js"
import type { Measure } from "../domain/measure.js"
import { type MeasuredQuantity, withMeasured } from "../domain/measured-truth.js"
import type { Truth } from "../domain/organism.js"
import type { ManipulationCheck } from "../domain/run.js"
import { distorted, isPromptedControl, type PromptedOrganismSpec } from "../domain/prompted/spec.js"
import { simulate } from "./organism.js"

/**
 * What scoring needs of an organism, whatever runs it (a simulation or a prompted real
 * model): its truth, what its defects distort (for escapes), and how to describe it.
 */
export interface OrganismProfile {
  readonly id: string
  readonly description: string
  readonly control: boolean
  /** Its defects by name: layer tags, or a prompted organism's archetype. */
  readonly layers: ReadonlyArray<string>
  /** What every cell is scored against: derived (simulated), or declared with the measured quantities in place. */
  readonly truth: Truth
  /** The quantities of `truth` its calibration measured, with their intervals (prompted and external organisms). */
  readonly measuredTruth: ReadonlyArray<MeasuredQuantity>
  readonly affects: ReadonlyArray<Measure>
}

/** Each organism's measured truth, as its stored check holds it. */
export const measuredTruths = (checks: ReadonlyArray<ManipulationCheck>): ReadonlyMap<string, ReadonlyArray<MeasuredQuantity>> =>
  new Map(checks.map((c) => [c.organism, c.truth ?? []]))

/** A real model's truth: declared, with what its stored calibration measured in place. */
export const realTruth = (spec: { readonly id: string; readonly truth: Truth }, measured: ReadonlyMap<string, ReadonlyArray<MeasuredQuantity>>): Truth =>
  withMeasured(spec.truth, measured.get(spec.id) ?? [])

/** What an external organism's defect distorts: as declared, else its calibration evaluation's quantity. */
const externalAffects = (audit: ResolvedAudit, spec: ExternalOrganismSpec): ReadonlyArray<Measure> => {
  if (spec.distorts !== undefined) return spec.distorts
  const calibration = audit.evaluations.find((e) => e.id === spec.calibration?.evaluation)
  return calibration === undefined ? [] : [calibration.measures]
}

/** What a prompted organism's defect distorts, as measures (for escapes). */
const promptedAffects = (spec: PromptedOrganismSpec): ReadonlyArray<Measure> => {
  const { behaviour, domains } = distorted(spec)
  return [
    ...(behaviour === undefined ? [] : [{ kind: "propensity" as const, behaviour }]),
    ...(domains ?? []).map((domain) => ({ kind: "capability" as const, domain }))
  ]
}

/**
 * The scored organisms of an audit, simulated, prompted then external, in the audit's order
 * (sweep organisms are scored apart). A real model's truth comes from its stored check.
 */
export const organismProfiles = (audit: ResolvedAudit, checks: ReadonlyArray<ManipulationCheck>): ReadonlyArray<OrganismProfile> => {
  const measured = measuredTruths(checks)
  return [
    ...[...audit.organisms, ...(audit.heldOut?.organisms ?? [])].map((spec) => {
      const simulated = simulate(spec)
      return {
        id: spec.id,
        description: spec.description ?? "",
        control: spec.control,
        layers: spec.layers.map((l) => l._tag),
        truth: simulated.truth,
        measuredTruth: [],
        affects: simulated.affects
      }
    }),
    ...audit.promptedOrganisms.map((spec) => ({
      id: spec.id,
      description: spec.description ?? `prompted ${spec.archetype} on provider ${spec.provider}`,
      control: isPromptedControl(spec),
      layers: [`prompted:${spec.archetype}`],
      truth: realTruth(spec, measured),
      measuredTruth: measured.get(spec.id) ?? [],
      affects: promptedAffects(spec)
    })),
    ...(audit.externalOrganisms ?? []).map((spec) => ({
      id: spec.id,
      description: spec.description ?? `external model on provider ${spec.provider}`,
      control: spec.control,
      layers: spec.control ? [] : ["external"],
      truth: realTruth(spec, measured),
      measuredTruth: measured.get(spec.id) ?? [],
      affects: externalAffects(audit, spec)
    }))
  ]
}
