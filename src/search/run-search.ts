import type { ResolvedAudit } from "../domain/audit.js"
import type { SearchSettings } from "../domain/search-settings.js"
import { searchEscapes, type SearchReport } from "./search-escapes.js"

/**
 * Runs the audit's search (pure and seeded: the same spec and seed give the same report).
 * `seed` is the run's seed: it seeds fast-check (the organisms tried and the estimate's
 * draws) and keys every measurement draw, so `search --seed N` and `run --seed N` search alike.
 */
export const runSearch = (
  audit: ResolvedAudit,
  settings: SearchSettings,
  options: { readonly seed: number; readonly path?: string | undefined; readonly timeLimitMs?: number | undefined }
): SearchReport =>
  searchEscapes(audit, {
    seed: options.seed,
    numRuns: settings.numRuns,
    replicates: settings.replicates,
    estimateSamples: settings.estimateSamples,
    scope: settings.scope,
    path: options.path,
    timeLimitMs: options.timeLimitMs
  })
