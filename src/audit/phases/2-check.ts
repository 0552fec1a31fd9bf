import { Effect, Either } from "effect"
import type { ResolvedAudit } from "../../domain/audit.js"
import { ProviderError } from "../../domain/chat.js"
import type { ProbeItem } from "../../domain/prompted/probe-item.js"
import { isPromptedControl, type PromptedOrganismSpec } from "../../domain/prompted/spec.js"
import type { ManipulationCheck } from "../../domain/run.js"
import type { ExternalOrganismSpec, Unlock } from "../../domain/external.js"
import { graderOf } from "../../measure/grader.js"
import { measureCell, prepareEvaluation } from "../../measure/measure-cell.js"
import { Providers } from "../../measure/providers.js"
import { externalRespondent } from "../../measure/respondent.js"
import { declaredOnly, externalCheck } from "../../organisms/external/calibration.js"
import { calibrationEvaluation } from "../../organisms/external/unlock.js"
import { manipulationCheck } from "../../organisms/manipulation-check.js"
import { probeRequest, probesFor } from "../../organisms/prompted/probes.js"
import { measuredTruth, probeSizing } from "../../organisms/prompted/measured-truth.js"
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
 * The calibration check of a prompted organism, run for real: its probes with and without
 * its trigger go to its model (as many as `probeSizing` says), the defect must show more
 * under the trigger (verdict.ts), and the rates measured become its truth (measured-truth.ts),
 * stored with the check so scoring reads them and never measures again. A provider failure
 * leaves the check undone (the organism is not measured this time, and a resumed run tries again).
 */
const promptedCheck = (audit: ResolvedAudit, spec: PromptedOrganismSpec) =>
  Effect.gen(function* () {
    if (isPromptedControl(spec)) return asManipulationCheck(spec, null)
    const entry = (yield* Providers).get(spec.provider)
    if (entry === undefined) return yield* new ProviderError({ reason: "BadRequest", attempts: 0, message: `no provider "${spec.provider}" in this run` })
    const probes = probesFor(spec)
    const sizing = probeSizing(spec, audit.manipulationCheck.samples, Math.max(probes.triggered.length, probes.untriggered.length))
    const ask = (item: ProbeItem) =>
      entry.provider
        .complete({ model: entry.model, ...probeRequest(spec, item), maxTokens: 512, temperature: 0 })
        .pipe(Effect.map((response) => readProbe(item, response.text)))
    const triggered = yield* Effect.forEach(probes.triggered.slice(0, sizing.used), ask, { concurrency: 8 })
    const untriggered = yield* Effect.forEach(probes.untriggered.slice(0, sizing.used), ask, { concurrency: 8 })
    const verdict = manipulationVerdict(
      defectCount(triggered, "triggered"),
      triggered.length,
      defectCount(untriggered, "untriggered"),
      untriggered.length,
      audit.statistics
    )
    return asManipulationCheck(spec, verdict, measuredTruth(spec, verdict, untriggered, audit.statistics), sizing)
  })

/**
 * The calibration check of an external organism: its calibration evaluation measured
 * without the unlock and with it (replicate 0's draws, so the locked half is answered from
 * the response cache when the run measures that cell). A cell that errored leaves the check
 * undone, as a provider failure does for a prompted organism.
 */
const externalCalibration = (audit: ResolvedAudit, spec: ExternalOrganismSpec, seed: number) =>
  Effect.gen(function* () {
    const calibration = spec.calibration
    if (calibration === undefined) return declaredOnly(spec)
    const evaluation = audit.evaluations.find((e) => e.id === calibration.evaluation)
    if (evaluation === undefined) return yield* Effect.fail(`its calibration evaluation "${calibration.evaluation}" is not in the audit`)
    const measure = (unlock: Unlock | undefined) =>
      Effect.gen(function* () {
        const prepared = prepareEvaluation(calibrationEvaluation(evaluation, unlock))
        const { result } = yield* measureCell(prepared, externalRespondent(spec, spec.truth, unlock), graderOf(prepared.grading), seed, 0)
        return result._tag === "Measured" ? result : yield* Effect.fail(result.reason)
      })
    const locked = yield* measure(undefined)
    const unlocked = yield* measure(calibration.unlock)
    return externalCheck(spec, calibration, evaluation, locked, unlocked, audit.statistics)
  })

const undone = (id: string, why: string): string => `manipulation check of ${id} not run (${why}); the organism is not measured until a resumed run checks it`

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
      (spec) => promptedCheck(audit, spec).pipe(Effect.mapError((e) => undone(spec.id, `${e.reason}: ${e.message}`)), Effect.either)
    )
    const externalChecks = yield* Effect.forEach(
      (audit.externalOrganisms ?? []).filter((o) => !checked.has(o.id)),
      (spec) => externalCalibration(audit, spec, run.seed).pipe(Effect.mapError((why) => undone(spec.id, why)), Effect.either)
    )
    const realChecks = [...promptedChecks, ...externalChecks]
    const newChecks = [...simulatedChecks, ...realChecks.flatMap((c) => (Either.isRight(c) ? [c.right] : []))]
    if (newChecks.length > 0) yield* store.saveChecks(run.id, newChecks)

    if (audit.graderBattery.numRuns > 0 && (yield* store.loadGraderChecks(run.id)).length === 0) {
      yield* store.saveGraderChecks(run.id, graderScores(checkAuditGraders(audit, { seed: run.seed, numRuns: audit.graderBattery.numRuns })))
    }
    return {
      checks: [...storedChecks, ...newChecks],
      problems: realChecks.flatMap((c) => (Either.isLeft(c) ? [c.left] : []))
    } satisfies CheckedRun
  })
