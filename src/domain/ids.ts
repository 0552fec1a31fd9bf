import { Schema } from "effect"
import { RESERVED_KEY, reservedKeyMessage } from "./records.js"
import { formatLimit } from "./limits.js"

/** Identifiers of evaluations, triggers and organisms: stable, file- and URL-safe. */
export const Id = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
    message: () => "an id of letters, digits, '.', '_' or '-' (starting with a letter or digit)"
  })
)

export const Probability = Schema.Number.pipe(Schema.between(0, 1))

/** Half-width of an indifference zone around a threshold. */
export const Indifference = Schema.Number.pipe(Schema.between(0, 0.5))
export const Count = Schema.Int.pipe(Schema.nonNegative())
export const PositiveCount = Schema.Int.pipe(Schema.positive())

/**
 * A list that must hold at least one item. Typed as a plain array, so audits can be built
 * with `map` and spreads; the emptiness check happens when the audit is decoded.
 */
export const NonEmpty = <A, I, R>(item: Schema.Schema<A, I, R>) => Schema.Array(item).pipe(Schema.minItems(1))

const notReserved = (s: string) => s !== RESERVED_KEY || reservedKeyMessage

/** A name that keys records (a domain, a behaviour, a metadata field): any text but `__proto__`. */
export const Name = Schema.NonEmptyString.pipe(Schema.filter(notReserved))

/** The key of a user-keyed record (rates per domain, sample metadata). */
export const RecordKey = Schema.String.pipe(Schema.filter(notReserved))

/** A whole number from `min` up to a stated limit (src/domain/limits.ts): absurd sizes are refused when the file is read. */
export const CountUpTo = (max: number, min = 1) =>
  Schema.Int.pipe(
    Schema.greaterThanOrEqualTo(min),
    Schema.lessThanOrEqualTo(max, { message: () => `Expected a whole number of at most ${formatLimit(max)} (a stated limit; see "Limits" in the README)` })
  )

/** A seed: any integer JavaScript holds exactly (it is hashed as text, so 1e300 and 1e300 + 1 would be one seed). */
export const Seed = Schema.Int.pipe(
  Schema.between(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, { message: () => "Expected a whole number of at most 15 digits (a seed JavaScript holds exactly)" })
)
