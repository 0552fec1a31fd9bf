import { Effect, Option, Schema } from "effect"
import { ResolvedAudit } from "../../domain/audit.js"
import { RunError } from "../../domain/run-error.js"
import { StoreError } from "../../domain/store-error.js"
import type { SampleResult } from "../../domain/outcome.js"
import type { Summary } from "../../domain/summary.js"
import { evidenceCell, pickEvidence, withEvidence } from "../../scoring/evidence.js"
import { scopeOf, type ScoringInput } from "../../scoring/scoring-input.js"
import { summarize } from "../../scoring/summarize.js"
import { AuditStore, cellKey } from "../../store/audit-store.js"
import { triggerResults } from "./4-derive.js"

const decodeStoredAudit = Schema.decodeUnknown(Schema.parseJson(ResolvedAudit))

/**
 * The summary's findings with the stored responses they rest on. Sealed held-out organisms
 * get none: their responses could show what the seal hides.
 */
const attachEvidence = (runId: string, input: ScoringInput, summary: Summary) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const sealed = new Set(summary.heldOut?.sealed === true ? summary.heldOut.organisms.map((o) => o.id) : [])
    const loaded = new Map<string, ReadonlyArray<SampleResult>>()
    // Judged as the findings were, so a finding quotes a replicate with its own verdict.
    const { judged } = scopeOf(input)
    const { audit, cells } = input
    const evidence = yield* Effect.forEach(summary.findings, (finding) =>
      Effect.gen(function* () {
        if (finding.organism === null || sealed.has(finding.organism)) return undefined
        const cell = evidenceCell(finding, judged, cells, audit.policy?.triggers ?? [], audit.evaluations)
        if (cell === undefined) return undefined
        const key = cellKey(cell.evaluation, cell.organism, cell.replicate)
        const responses = loaded.get(key) ?? (yield* store.loadResponses(runId, cell))
        loaded.set(key, responses)
        return pickEvidence(cell, responses)
      })
    )
    return { ...summary, findings: withEvidence(summary.findings, evidence) }
  })

/**
 * Phase 5: scores a stored run from the store alone: what `report`, `check`, `diff` and the
 * end of `run` use. It never measures: what needs measuring (the cells, the search) was
 * measured and stored by phases 3 and 4, and a run that stopped before storing the search
 * shows none.
 */
export const summarizeRun = (
  runId: string,
  options: {
    readonly unseal?: boolean
    /** The time the run is about to be marked finished at (its outputs are written first). */
    readonly finishingAt?: string
  } = {}
) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const found = yield* store.findRun(runId)
    if (Option.isNone(found)) return yield* new RunError({ reason: "UnknownRun", message: `no run ${runId} in the store` })
    const run = options.finishingAt === undefined ? found.value : { ...found.value, finishedAt: options.finishingAt }
    const audit = yield* decodeStoredAudit(run.specJson).pipe(
      Effect.mapError((e) => new StoreError({ reason: "Corrupt", message: `stored spec of ${runId}: ${e.message}` }))
    )
    const cells = yield* store.loadCells(runId)
    const checks = yield* store.loadChecks(runId)
    const graders = yield* store.loadGraderChecks(runId)
    const sampleScores = yield* store.loadSampleScores(runId, [...new Set(audit.comparisons.flatMap((c) => [c.a, c.b]))])
    // Triggers are recomputed from the cells, so an interrupted run never shows stale ones.
    const triggers = triggerResults(audit, cells, checks, run.replicates)
    const search = audit.search === undefined ? null : Option.getOrNull(yield* store.loadSearch(runId))
    const harness = yield* store.loadHarness(runId)
    const input: ScoringInput = { audit, run, cells, triggerResults: triggers, checks, graders, sampleScores, search, harness }
    return { run, audit, summary: yield* attachEvidence(runId, input, summarize(input, { unseal: options.unseal ?? false })) }
  })
