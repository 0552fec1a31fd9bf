import { Effect, Either } from "effect"
import type { ResolvedAudit } from "../../domain/audit.js"
import { ProviderError } from "../../domain/chat.js"
import type { ProbeItem } from "../../domain/prompted/probe-item.js"
import { isPromptedControl, type PromptedOrganismSpec } from "../../domain/prompted/spec.js"
import type { ManipulationCheck } from "../../domain/run.js"
import { Providers } from "../../measure/providers.js"
import { manipulationCheck } from "../../organisms/manipulation-check.js"
import { probeRequest, probesFor } from "../../organisms/prompted/probes.js"
import { readProbe } from "../../organisms/prompted/read-probe.js"
import { asManipulationCheck, defectCount, manipulationVerdict } from "../../organisms/prompted/verdict.js"
import { AuditStore, type StoredRun } from "../../store/audit-store.js"
import { checkAuditGraders, graderScores } from "../check-graders.js"

/** What phase 2 hands on: every organism's check (stored and new), and the checks that could not run. */
export interface CheckedRun {
  readonly checks: ReadonlyArray<ManipulationCheck>
  /** Why a prompted organism's check did not run; the organism is not measured this time. */
  readonly problems: ReadonlyArray<string>
}

/**
 * The manipulation check of a prompted organism, run for real: its probes with and without
 * its trigger go to its model, and its defect rate with the trigger must lie clearly above
 * the rate without. A provider failure leaves the check undone (the organism is not
 * measured this time, and a resumed run tries again).
 */
const promptedCheck = (spec: PromptedOrganismSpec) =>
  Effect.gen(function* () {
    if (isPromptedControl(spec)) return asManipulationCheck(spec, null)
    const entry = (yield* Providers).get(spec.provider)
    if (entry === undefined) return yield* new ProviderError({ reason: "BadRequest", attempts: 0, message: `no provider "${spec.provider}" in this run` })
    const probes = probesFor(spec)
    const ask = (item: ProbeItem) =>
      entry.provider
        .complete({ model: entry.model, ...probeRequest(spec, item), maxTokens: 512, temperature: 0 })
        .pipe(Effect.map((response) => readProbe(item, response.text)))
    const triggered = yield* Effect.forEach(probes.triggered, ask, { concurrency: 8 })
    const untriggered = yield* Effect.forEach(probes.untriggered, ask, { concurrency: 8 })
    const verdict = manipulationVerdict(
      defectCount(triggered, "triggered"),
      triggered.length,
      defectCount(untriggered, "untriggered"),
      untriggered.length
    )
    return asManipulationCheck(spec, verdict)
  })

/**
 * Phase 2: the manipulation check of every organism not checked yet (an organism that
 * fails is reported, not scored), and the grader battery once per run. Both are seeded,
 * so a resumed run stores what an uninterrupted one would.
 */
export const checkRun = (audit: ResolvedAudit, run: StoredRun) =>
  Effect.gen(function* () {
    const store = yield* AuditStore
    const storedChecks = yield* store.loadChecks(run.id)
    const checked = new Set(storedChecks.map((c) => c.organism))
    const simulatedChecks = [...audit.organisms, ...(audit.heldOut?.organisms ?? [])]
      .filter((o) => !checked.has(o.id))
      .map((o) => manipulationCheck(o, run.seed, audit.manipulationCheck.samples))
    const promptedChecks = yield* Effect.forEach(
      audit.promptedOrganisms.filter((o) => !checked.has(o.id)),
      (spec) =>
        promptedCheck(spec).pipe(
          Effect.mapError((e) => `manipulation check of ${spec.id} not run (${e.reason}: ${e.message}); the organism is not measured until a resumed run checks it`),
          Effect.either
        )
    )
    const newChecks = [...simulatedChecks, ...promptedChecks.flatMap((c) => (Either.isRight(c) ? [c.right] : []))]
    if (newChecks.length > 0) yield* store.saveChecks(run.id, newChecks)

    if (audit.graderBattery.numRuns > 0 && (yield* store.loadGraderChecks(run.id)).length === 0) {
      yield* store.saveGraderChecks(run.id, graderScores(checkAuditGraders(audit, { seed: run.seed, numRuns: audit.graderBattery.numRuns })))
    }
    return {
      checks: [...storedChecks, ...newChecks],
      problems: promptedChecks.flatMap((c) => (Either.isLeft(c) ? [c.left] : []))
    } satisfies CheckedRun
  })
