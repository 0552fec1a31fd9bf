import { Schema } from "effect"

/**
 * A failure of the results store, told apart by `reason`. `Foreign` (not an evalaudit store),
 * `Newer` (a schema this version does not know), `Damaged` (SQLite finds the file unsound) and
 * `Busy` (another process is measuring the run) are refused before anything is written;
 * `Exists` is a run id already taken.
 */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  reason: Schema.Literal("Open", "Migrate", "Query", "Corrupt", "NotFound", "Foreign", "Newer", "Damaged", "Busy", "Exists"),
  message: Schema.String
}) {}
