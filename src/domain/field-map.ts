import { Schema } from "effect"

// Keys are runs of anything but ".", "[" and "]", so the pattern cannot backtrack.
const PATH_PATTERN = /^[^.[\]]+(?:\[\d*\])*(?:\.[^.[\]]+(?:\[\d*\])*)*$/

/** A path into a record: keys joined by ".", each optionally followed by `[]` (every element) or `[n]`. */
export const FieldPath = Schema.String.pipe(
  Schema.pattern(PATH_PATTERN, {
    message: () => 'a path such as "question", "meta.topic", "choices[].text" or "answers[0]"'
  })
)

export const FieldMap = Schema.Struct({
  /** Default: `line-<n>`. */
  id: Schema.optional(FieldPath),
  input: FieldPath,
  choices: Schema.optional(FieldPath),
  /** A choice letter, an option index (0 -> "A") or an option's text when `choices` is mapped; else the expected answer. */
  target: Schema.optional(FieldPath),
  matchingBehavior: Schema.optional(FieldPath),
  notMatchingBehavior: Schema.optional(FieldPath),
  /** Copied into the sample's metadata under the path's name; a record without them just lacks the key. */
  metadata: Schema.optional(Schema.Array(FieldPath))
})
export type FieldMap = typeof FieldMap.Type
