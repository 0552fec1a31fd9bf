import { Schema } from "effect"

/** `evalaudit check` ran and a gate rule failed: a verdict, not a crash (exit code 1). */
export class GateFailed extends Schema.TaggedError<GateFailed>()("GateFailed", {
  message: Schema.String
}) {}
