import { Schema } from "effect"

/** A command-line value outside its allowed range (exit code 2). */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", {
  message: Schema.String
}) {
  override toString(): string {
    return this.message
  }
}
