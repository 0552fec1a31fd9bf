import { Schema } from "effect"

/** A run that cannot start or resume as asked. */
export class RunError extends Schema.TaggedError<RunError>()("RunError", {
  reason: Schema.Literal("UnknownRun", "SpecChanged", "SettingsChanged", "Config"),
  message: Schema.String
}) {}
