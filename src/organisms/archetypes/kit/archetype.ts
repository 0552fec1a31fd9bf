/**
 * What an archetype's file in src/organisms/archetypes/ provides: its simulated layer
 * (behaviour, truth, distorted measures, manipulation probe), optionally its search form,
 * and, as a separate value, its prompted form. Its schemas, constructor and defaults live
 * in src/domain/catalog.ts.
 */
import type fc from "fast-check"
import type { PromptedArchetype } from "../../../domain/catalog.js"
import type { DefectLayer, LayerOf, LayerTag } from "../../../domain/organism.js"
import type { PromptedOrganismSpec } from "../../../domain/prompted/spec.js"
import type { LayerImpl } from "./behaviour.js"
import type { Probes } from "./prompted.js"
import type { LayerView, SearchVocabulary, StrengthSpec } from "./search.js"

/** How the adversarial search draws and simplifies one archetype's layers. */
export interface SearchForm<K extends LayerTag> {
  /** A capability defect: the base capability is part of its truth, so the search varies it too. */
  readonly capability?: true
  /** The strength parameters, in the order they are drawn and simplified. */
  readonly strengths: (space: SearchVocabulary) => ReadonlyArray<StrengthSpec>
  /**
   * One layer with every parameter drawn. `strengths` draws the strength parameters (keep
   * it in the record so shrinking reaches them); `at(values, i)` reads the i-th.
   */
  readonly arbitrary: (
    space: SearchVocabulary,
    strengths: fc.Arbitrary<ReadonlyArray<number>>,
    at: (values: ReadonlyArray<number>, i: number) => number
  ) => fc.Arbitrary<DefectLayer>
  /** The layer's strengths and forms; `spec(i)` is the i-th of `strengths`. */
  readonly view: (layer: LayerOf<K>, space: SearchVocabulary, spec: (i: number) => StrengthSpec) => LayerView
}

/** A simulated archetype: one defect layer's implementation. */
export interface LayerArchetype<K extends LayerTag> {
  readonly tag: K
  /** `at` is the layer's position in the organism: draw names carry it, so two layers of one kind draw independently. */
  readonly simulate: (layer: LayerOf<K>, at: string) => Omit<LayerImpl, "name">
  /** Absent for archetypes the adversarial search does not draw. */
  readonly search?: SearchForm<K>
}

export type PromptedSpecOf<K extends PromptedArchetype> = Extract<PromptedOrganismSpec, { readonly archetype: K }>

/** A prompted archetype: the system prompt that induces the defect and the probes that check it shows. */
export interface PromptedForm<K extends PromptedArchetype> {
  /** A function of the parameters alone. */
  readonly template: (spec: PromptedSpecOf<K>) => string
  /** The built-in manipulation probes (none for a control: it has no defect to show). */
  readonly probes: (spec: PromptedSpecOf<K>) => Probes
  /** Each request carries a fresh request id (the rare defector reads one). */
  readonly nonce?: true
}
