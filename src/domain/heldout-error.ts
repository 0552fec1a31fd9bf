import { Schema } from "effect"

/** A failure of held-out organisms, told apart by `reason`. */
export class HeldOutError extends Schema.TaggedError<HeldOutError>()("HeldOutError", {
  reason: Schema.Literal(
    /** The family's base entry, with the varied parameter set, is not a valid archetype. */
    "InvalidFamily",
    /** Fewer candidate values remain (after excluding the development ones) than organisms asked for. */
    "TooFewValues",
    /** The revealed spec is not a valid organism. */
    "InvalidSpec",
    /** The revealed spec has another id than the sealed record. */
    "IdMismatch",
    /** The revealed spec (with this salt) does not hash to the sealed hash. */
    "HashMismatch"
  ),
  message: Schema.String
}) {}
