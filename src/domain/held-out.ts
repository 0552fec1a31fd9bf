import { Schema } from "effect"
import { CountUpTo, Id } from "./ids.js"
import { OrganismEntry } from "./archetype.js"
import { OrganismSpec } from "./organism.js"
import { LIMITS } from "./limits.js"

/**
 * Salts shorter than this are refused: held-out parameters often come from a short list
 * (trigger strings), which an unsalted or weakly salted hash would reveal to anyone who
 * hashes the candidates.
 */
export const MIN_SALT_LENGTH = 16

const ParameterValue = Schema.Union(Schema.String, Schema.Number)
type ParameterValue = typeof ParameterValue.Type

/** How a held-out family varies its base archetype. */
export const FamilyVariations = Schema.Struct({
  /** The family's id; its organisms are `<id>.<index>`, ids that say nothing of the parameter. */
  id: Id,
  /** The archetype parameter that varies, e.g. `trigger`. */
  parameter: Schema.NonEmptyString,
  /** How many organisms to generate. */
  count: CountUpTo(LIMITS.familySize),
  /** Candidate values; for `trigger`, the default trigger pool when omitted. */
  values: Schema.optional(Schema.Array(ParameterValue)),
  /**
   * The development organisms' values, never drawn. A string candidate that contains one of
   * them or is contained in one is dropped too: a prompt carrying the development trigger
   * would otherwise also fire the held-out organism.
   */
  exclude: Schema.optionalWith(Schema.Array(ParameterValue), { default: () => [] })
})
export type FamilyVariations = typeof FamilyVariations.Type
export type FamilyVariationsInput = typeof FamilyVariations.Encoded

const Salt = Schema.String.pipe(
  Schema.minLength(MIN_SALT_LENGTH, { message: () => `a salt of at least ${MIN_SALT_LENGTH} characters (a short one lets candidate parameters be hashed and compared)` })
)

/** A generated held-out family: one archetype, one parameter drawn from a pool with the development values excluded. */
export const HeldOutFamilyInput = Schema.Struct({
  organism: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  ...FamilyVariations.fields
})

/**
 * Held-out organisms as a file writes them. Keep this section where the evaluations' authors
 * do not read it: memos and summaries show these organisms only by a salted hash until a
 * report is made with `--unseal`.
 */
export const HeldOutInput = Schema.Struct({
  salt: Salt,
  /** When the organisms were sealed, for the memo's method section. */
  sealedAt: Schema.optional(Schema.String),
  organisms: Schema.optional(Schema.Array(OrganismEntry)),
  families: Schema.optional(Schema.Array(HeldOutFamilyInput))
})

/** Held-out organisms as decoded: families expanded into organisms. */
export const HeldOut = Schema.Struct({
  salt: Salt,
  sealedAt: Schema.optional(Schema.String),
  organisms: Schema.Array(OrganismSpec)
})
export type HeldOut = typeof HeldOut.Type
