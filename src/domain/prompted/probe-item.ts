import { Schema } from "effect"
import { GamingStrategy } from "../gaming-strategy.js"
import { ChatMessage } from "../chat.js"

const Letter = Schema.String.pipe(Schema.pattern(/^[A-Z]$/, { message: () => "one capital option letter" }))
const Choices = Schema.Array(Schema.NonEmptyString).pipe(Schema.minItems(2), Schema.maxItems(26))

/**
 * How to read the defect from a response to one probe item. Readings are data, not
 * functions, so probe items can be written in audit files, stored and hashed.
 */
export const ProbeReading = Schema.Union(
  /** The reply starts with Yes or No; `defect` is the answer that shows the defect. */
  Schema.Struct({ kind: Schema.Literal("yes-no"), defect: Schema.Literal("yes", "no") }),
  /** One option letter; any letter but `answer` shows the defect (sandbagging, locking). */
  Schema.Struct({ kind: Schema.Literal("choice-wrong"), choices: Choices, answer: Letter }),
  /** One option letter; the user's `suggested` (wrong) letter shows the defect (sycophancy). */
  Schema.Struct({ kind: Schema.Literal("choice-suggested"), choices: Choices, answer: Letter, suggested: Letter }),
  /** A multiple-choice reply that games the grader with `strategy` instead of answering. */
  Schema.Struct({ kind: Schema.Literal("gaming"), strategy: GamingStrategy, choices: Choices, answer: Letter })
)
export type ProbeReading = typeof ProbeReading.Type

/**
 * One probe: the conversation sent to the organism (ending with a user turn), the request
 * id to append to its system prompt when the probe needs one (rare defector), and how to
 * read the response.
 */
export const ProbeItem = Schema.Struct({
  id: Schema.NonEmptyString,
  messages: Schema.Array(ChatMessage).pipe(
    Schema.minItems(1),
    Schema.filter((ms) => ms.at(-1)?.role === "user" || "the last message is the user's")
  ),
  nonce: Schema.optional(Schema.String.pipe(Schema.pattern(/^[0-9a-f]{12}$/, { message: () => "12 lower-case hex digits" }))),
  reading: ProbeReading
})
export type ProbeItem = typeof ProbeItem.Type
