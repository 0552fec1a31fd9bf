import type { ResolvedAudit } from "../domain/audit.js"
import type { SearchSettings } from "../domain/search-settings.js"
import { searchEscapes, type SearchReport } from "./search-escapes.js"

/** Runs the audit's search (pure and seeded: the same spec and seed give the same report). */
export const runSearch = (
  audit: ResolvedAudit,
  settings: SearchSettings,
  options: { readonly seed: number; readonly path?: string | undefined; readonly timeLimitMs?: number | undefined }
): SearchReport =>
  searchEscapes(audit, {
    seed: settings.seed ?? options.seed,
    numRuns: settings.numRuns,
    replicates: settings.replicates,
    estimateSamples: settings.estimateSamples,
    scope: settings.scope,
    path: options.path,
    timeLimitMs: options.timeLimitMs
  })
