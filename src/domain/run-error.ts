import { Schema } from "effect"

/** A run that ran but could not finish (what it did is stored; a resumed run goes on): exit code 1. */
export class RunIncomplete extends Schema.TaggedError<RunIncomplete>()("RunIncomplete", {
  message: Schema.String
}) {
  override toString(): string {
    return this.message
  }
}

/** A run that cannot start or resume as asked. */
export class RunError extends Schema.TaggedError<RunError>()("RunError", {
  reason: Schema.Literal("UnknownRun", "SpecChanged", "SettingsChanged", "Config"),
  message: Schema.String
}) {
  override toString(): string {
    return this.message
  }
}
