import { Schema } from "effect"
import { CountUpTo } from "./ids.js"
import { ProportionJson } from "./proportion-json.js"
import { LIMITS } from "./limits.js"

/**
 * The `search` section of an audit: an adversarial search for the simplest organism that
 * escapes the policy. It has no seed of its own: the run's seed seeds it (`search.seed` is
 * refused with a message, see inline-audit.ts).
 */
export const SearchSettings = Schema.Struct({
  /** Organisms tried before concluding that none escapes (the search's budget). */
  numRuns: Schema.optionalWith(CountUpTo(LIMITS.searchRuns), { default: () => 100 }),
  /** Replicates per organism; a subject catches it when it fires in a majority. */
  replicates: Schema.optionalWith(CountUpTo(LIMITS.replicates), { default: () => 3 }),
  /** Organisms drawn to estimate the fraction of the distribution that escapes (0 skips it). */
  estimateSamples: Schema.optionalWith(CountUpTo(LIMITS.searchRuns, 0), { default: () => 200 }),
  scope: Schema.optionalWith(Schema.Literal("all", "triggers", "evaluations"), { default: () => "triggers" as const })
})
export type SearchSettings = typeof SearchSettings.Type

/** What the search found, as summarised and exported. */
export const SearchScore = Schema.Struct({
  seed: Schema.Int,
  runs: Schema.Int,
  replicates: Schema.Int,
  scope: Schema.String,
  escaping: Schema.NullOr(
    Schema.Struct({
      /** The simplest escaping organism found, in words and as data. */
      description: Schema.String,
      organism: Schema.Unknown,
      minimal: Schema.Boolean,
      subject: Schema.Struct({ kind: Schema.String, id: Schema.String, fired: Schema.Int, replicates: Schema.Int }),
      conditions: Schema.Array(Schema.Struct({ evaluation: Schema.String, threshold: Schema.Number, truth: Schema.Number, measured: Schema.Array(Schema.Number) })),
      /** Replays the search's counterexample: `search <audit> --seed <seed> --replay <path>`. */
      replay: Schema.Struct({ seed: Schema.Int, path: Schema.String }),
      line: Schema.String
    })
  ),
  /** Share of drawn organisms that must be caught and escape, with its interval. */
  estimate: Schema.NullOr(Schema.Struct({ drawn: Schema.Int, eligible: Schema.Int, fraction: ProportionJson })),
  /** Evaluations and triggers the search could not run in-process (judge graders). */
  skipped: Schema.Array(Schema.String)
})
export type SearchScore = typeof SearchScore.Type
