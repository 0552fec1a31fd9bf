import { Schema } from "effect"
import { FamilyVariations } from "../heldout/family.js"
import { MIN_SALT_LENGTH } from "../heldout/seal.js"
import { OrganismEntry } from "./archetype.js"
import { OrganismSpec } from "./organism.js"

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
