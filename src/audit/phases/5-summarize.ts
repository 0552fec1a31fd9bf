import { Effect, Option, Schema } from "effect"
import { ResolvedAudit } from "../../domain/audit.js"
import { RunError } from "../../domain/run-error.js"
import { StoreError } from "../../domain/store-error.js"
import { summarize } from "../../scoring/summarize.js"
import { runSearch } from "../../search/run-search.js"
import { searchScore } from "../../search/search-score.js"
import { AuditStore } from "../../store/audit-store.js"
import { triggerResults } from "./4-derive.js"

const decodeStoredAudit = Schema.decodeUnknown(Schema.parseJson(ResolvedAudit))

/** Phase 5: scores a stored run from the store alone: what `report` and the end of `run` both use. */
export const summarizeRun = (runId: string, options: { readonly unseal?: boolean } = {}) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const found = yield* store.findRun(runId)
    if (Option.isNone(found)) return yield* new RunError({ reason: "UnknownRun", message: `no run ${runId} in the store` })
    const run = found.value
    const audit = yield* decodeStoredAudit(run.specJson).pipe(
      Effect.mapError((e) => new StoreError({ reason: "Corrupt", message: `stored spec of ${runId}: ${e.message}` }))
    )
    const cells = yield* store.loadCells(runId)
    const checks = yield* store.loadChecks(runId)
    const graders = yield* store.loadGraderChecks(runId)
    const sampleScores = yield* store.loadSampleScores(runId, [...new Set(audit.comparisons.flatMap((c) => [c.a, c.b]))])
    // Triggers are recomputed from the cells, so an interrupted run never shows stale ones.
    const triggers = triggerResults(audit, cells, checks, run.replicates)
    const search = audit.search === undefined ? null : searchScore(runSearch(audit, audit.search, { seed: run.seed }), audit.search.scope)
    return { run, audit, summary: summarize({ audit, run, cells, triggerResults: triggers, checks, graders, sampleScores, search }, options) }
  })
