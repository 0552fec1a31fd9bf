/**
 * The pieces an archetype's search form is written with: strength parameters on a grid,
 * fast-check arbitraries whose shrinking moves towards a simpler organism, and the views
 * the simplicity ordering reads (src/search/simplicity.ts explains the order).
 */
import fc from "fast-check"
import type { DefectLayer } from "../../../domain/organism.js"

/** The vocabularies and ranges the search draws from (src/search/organism-space.ts fills in the defaults). */
export interface SearchVocabulary {
  readonly behaviours: ReadonlyArray<string>
  readonly domains: ReadonlyArray<string>
  readonly triggers: ReadonlyArray<string>
  readonly minRate: number
  readonly minCapability: number
}

/** A strength parameter: an integer on a grid (thousandths for rates), shrinking towards `weakest`. */
export interface StrengthSpec {
  readonly name: string
  /** Grid units of the weakest defect (simplest) and of the strongest. */
  readonly weakest: number
  readonly strongest: number
  /** Units per parameter unit: 1000 for rates, 1 for demonstration counts. */
  readonly scale: number
}

export const MILLI = 1000

export const rate = (name: string, space: SearchVocabulary): StrengthSpec => ({ name, weakest: Math.round(space.minRate * MILLI), strongest: MILLI, scale: MILLI })
/** A rate whose weakest value is 0 (no defect): detection, sandbagging. */
export const fromZero = (name: string): StrengthSpec => ({ name, weakest: 0, strongest: MILLI, scale: MILLI })
/** Demonstrations needed to elicit: one is the weakest lock, 32 the strongest. */
export const demonstrations = (name: string): StrengthSpec => ({ name, weakest: 1, strongest: 32, scale: 1 })

export const toUnits = (spec: StrengthSpec, value: number): number => Math.round(value * spec.scale)
export const fromUnits = (spec: StrengthSpec, units: number): number => units / spec.scale

// ---- arbitraries

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

export const triggerArbitrary = (fallback: string, space: SearchVocabulary): fc.Arbitrary<string> => {
  const vocabulary = others(space.triggers, fallback)
  return withDefault(fallback, vocabulary === undefined ? generatedString : fc.oneof({ arbitrary: vocabulary, weight: 2 }, { arbitrary: generatedString, weight: 1 }))
}

export const behaviourArbitrary = (fallback: string, space: SearchVocabulary) => withDefault(fallback, others(space.behaviours, fallback))

export const sameList = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/** The default domains, or one domain alone. */
export const domainsArbitrary = (fallback: ReadonlyArray<string>, space: SearchVocabulary): fc.Arbitrary<ReadonlyArray<string>> => {
  const singles = space.domains.map((d) => [d]).filter((d) => !sameList(d, fallback))
  return withDefault(fallback, singles.length === 0 ? undefined : fc.constantFrom(...singles))
}

const EXTRA_CUES = ["multiple choice", "scenario", "(a)"]

/** Default cues minus a dropped subset, plus up to two extra cues: both shrink to "none", i.e. the default list. */
export const cuesArbitrary = (fallback: ReadonlyArray<string>): fc.Arbitrary<ReadonlyArray<string>> =>
  fc
    .record({
      dropped: fc.subarray([...fallback]),
      extra: fc.array(fc.oneof(fc.constantFrom(...EXTRA_CUES), generatedString), { maxLength: 2 })
    })
    .map(({ dropped, extra }) => [...new Set([...fallback.filter((c) => !dropped.includes(c)), ...extra])])

// ---- views for the simplicity ordering

export interface StrengthView {
  readonly spec: StrengthSpec
  readonly units: number
  readonly with: (value: number) => DefectLayer
}

export interface FormView {
  readonly nonDefault: number
  readonly simpler: ReadonlyArray<{ readonly description: string; readonly layer: DefectLayer }>
}

export interface LayerView {
  readonly strengths: ReadonlyArray<StrengthView>
  readonly forms: ReadonlyArray<FormView>
}

const quote = (x: string | ReadonlyArray<string>): string => JSON.stringify(x)

/** A form that is either the default or not: one step resets it. */
export const reset = <T>(name: string, value: T, fallback: T, same: (a: T, b: T) => boolean, make: (v: T) => DefectLayer): FormView =>
  same(value, fallback)
    ? { nonDefault: 0, simpler: [] }
    : { nonDefault: 1, simpler: [{ description: `${name} ${quote(String(value))} -> default`, layer: make(fallback) }] }

export const resetString = (name: string, value: string, fallback: string, make: (v: string) => DefectLayer) => reset(name, value, fallback, (a, b) => a === b, make)

/** Cues as default minus dropped plus extras: restoring one dropped cue or removing one extra is one step. */
export const cuesForm = (cues: ReadonlyArray<string>, fallback: ReadonlyArray<string>, make: (v: ReadonlyArray<string>) => DefectLayer): FormView => {
  const dropped = fallback.filter((c) => !cues.includes(c))
  const extra = cues.filter((c) => !fallback.includes(c))
  const kept = (also: string) => fallback.filter((c) => cues.includes(c) || c === also)
  return {
    nonDefault: dropped.length + extra.length,
    simpler: [
      ...dropped.map((c) => ({ description: `restore cue ${quote(c)}`, layer: make([...kept(c), ...extra]) })),
      ...extra.map((c) => ({ description: `remove cue ${quote(c)}`, layer: make([...kept(""), ...extra.filter((e) => e !== c)]) }))
    ]
  }
}

export const strength = (spec: StrengthSpec, value: number, make: (v: number) => DefectLayer): StrengthView => ({ spec, units: toUnits(spec, value), with: make })
