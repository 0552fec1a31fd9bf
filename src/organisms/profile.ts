import type { ResolvedAudit } from "../domain/audit.js"
import type { Measure } from "../domain/measure.js"
import type { Truth } from "../domain/organism.js"
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
  readonly truth: Truth
  readonly affects: ReadonlyArray<Measure>
}

/** What a prompted organism's defect distorts, as measures (for escapes). */
const promptedAffects = (spec: PromptedOrganismSpec): ReadonlyArray<Measure> => {
  const { behaviour, domains } = distorted(spec)
  return [
    ...(behaviour === undefined ? [] : [{ kind: "propensity" as const, behaviour }]),
    ...(domains ?? []).map((domain) => ({ kind: "capability" as const, domain }))
  ]
}

/** The scored organisms of an audit, simulated then prompted, in the audit's order (sweep organisms are scored apart). */
export const organismProfiles = (audit: ResolvedAudit): ReadonlyArray<OrganismProfile> => [
  ...[...audit.organisms, ...(audit.heldOut?.organisms ?? [])].map((spec) => {
    const simulated = simulate(spec)
    return {
      id: spec.id,
      description: spec.description ?? "",
      control: spec.control,
      layers: spec.layers.map((l) => l._tag),
      truth: simulated.truth,
      affects: simulated.affects
    }
  }),
  ...audit.promptedOrganisms.map((spec) => ({
    id: spec.id,
    description: spec.description ?? `prompted ${spec.archetype} on provider ${spec.provider}`,
    control: isPromptedControl(spec),
    layers: [`prompted:${spec.archetype}`],
    truth: spec.truth,
    affects: promptedAffects(spec)
  }))
]
