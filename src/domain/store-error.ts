import { Schema } from "effect"

/** A failure of the results store, told apart by `reason`. */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  reason: Schema.Literal("Open", "Migrate", "Query", "Corrupt", "NotFound"),
  message: Schema.String
}) {}
