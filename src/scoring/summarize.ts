/**
 * Scores a run from its stored results: each part below is a pure function of the one
 * input record, and the findings are data (their sentences are written by report/).
 */
import type { RunRecord } from "../domain/run.js"
import { SUMMARY_FORMAT, type Summary } from "../domain/summary.js"
import { comparisonScores } from "./comparisons.js"
import { evaluationScores } from "./evaluation-scores.js"
import { DEFAULT_MAX_SCORER_ERROR_RATE } from "../domain/harness.js"
import { evaluationFindings } from "./findings/evaluation-findings.js"
import { graderFindings } from "./findings/grader-findings.js"
import { organismFindings } from "./findings/organism-findings.js"
import { overfittingFindings } from "./findings/overfitting-findings.js"
import { rankFindings } from "./findings/rank.js"
import { scorerAudits, scorerFindings } from "./scorer-audit.js"
import { searchFindings } from "./findings/search-findings.js"
import { timingFindings } from "./findings/timing-findings.js"
import { constantResponderFindings } from "./findings/constant-responder-findings.js"
import { clusteringFindings } from "./findings/clustering-findings.js"
import { triggerFindings } from "./findings/trigger-findings.js"
import { heldOutOverfitting } from "./held-out-overfitting.js"
import { organismScores } from "./organism-scores.js"
import { triggerEscapes } from "./policy-escapes.js"
import { policyTiming } from "./policy-timing.js"
import { redactSealed } from "./redact.js"
import { scopeOf, type ScoringInput } from "./scoring-input.js"
import { sealOrganism } from "./seal.js"
import { sweepScores } from "./sweeps.js"
import { triggerScores } from "./trigger-scores.js"

export type { RunRecord, ScoringInput }

export interface SummarizeOptions {
  /** Show held-out organisms in full instead of by their salted hash. */
  readonly unseal?: boolean
}

/**
 * Sensitivity and specificity per evaluation and trigger, bias per evaluation and organism,
 * escapes, timing, overfitting, and findings ranked by severity. Organisms that failed
 * their manipulation check are reported but not scored.
 */
export const summarize = (input: ScoringInput, options: SummarizeOptions = {}): Summary => {
  const { audit, run } = input
  const scope = scopeOf(input)
  const evaluations = evaluationScores(input, scope)
  const triggers = triggerScores(input, scope)
  const organisms = organismScores(input, scope)
  const timing = policyTiming(input)
  const overfitting = heldOutOverfitting(audit, evaluations, triggers)
  const harness =
    input.harness === undefined || input.harness.logs.length === 0
      ? undefined
      : {
        logs: input.harness.logs,
        scorers: scorerAudits(input.harness.samples, audit.harness?.maxScorerErrorRate ?? DEFAULT_MAX_SCORER_ERROR_RATE, audit.statistics)
      }
  // Concatenated in a fixed order; the ranking is stable, so ties keep it.
  const findings = rankFindings([
    ...evaluationFindings(input, scope),
    ...constantResponderFindings(input, scope, evaluations),
    ...clusteringFindings(evaluations),
    ...triggerFindings(triggers),
    ...organismFindings(organisms, scope),
    ...timingFindings(timing),
    ...searchFindings(input.search),
    ...overfittingFindings(overfitting),
    ...graderFindings(input.graders),
    ...scorerFindings(harness?.scorers ?? [])
  ])

  const seals = audit.heldOut === undefined ? [] : audit.heldOut.organisms.map((o) => sealOrganism(o, audit.heldOut?.salt ?? ""))
  const sealed = seals.length > 0 && options.unseal !== true
  const summary: Summary = {
    format: SUMMARY_FORMAT,
    runId: run.id,
    audit: run.audit,
    source: run.source,
    version: run.version,
    seed: run.seed,
    replicates: run.replicates,
    statistics: audit.statistics,
    scoring: { indifference: audit.indifference ?? null, reliability: scope.reliability },
    specHash: run.specHash,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    complete: run.finishedAt !== null,
    evaluations,
    triggers,
    organisms,
    graders: input.graders,
    timing,
    search: input.search,
    heldOut:
      audit.heldOut === undefined
        ? null
        : { sealed, sealedAt: audit.heldOut.sealedAt ?? null, organisms: seals.map((s) => ({ id: s.id, hash: s.hash })) },
    overfitting,
    comparisons: audit.comparisons.map((c) => comparisonScores(c, input.sampleScores, scope.ordered, audit.statistics.confidence)),
    sweeps: sweepScores(audit, input.cells, input.triggerResults, audit.statistics.interval, audit.statistics.confidence),
    escapes: organisms.filter((o) => o.escape !== null && o.escape.rate >= 0.5).map((o) => o.id),
    // No cut-off: escaping the policy in any replicate lists the organism, with its probability.
    policyEscapes: organisms.flatMap((o) => (o.policyEscape !== null && o.policyEscape.escaped > 0 ? [o.policyEscape] : [])),
    triggerEscapes: triggerEscapes(triggers, audit.statistics),
    ...(harness === undefined ? {} : { harness }),
    findings
  }
  return sealed ? redactSealed(summary, seals) : summary
}
