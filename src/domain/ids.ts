import { Schema } from "effect"

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
