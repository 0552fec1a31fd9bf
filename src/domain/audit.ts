import { Schema } from "effect"
import { Evaluation, ResolvedEvaluation } from "./evaluation.js"
import { CountUpTo, Id, Indifference, NonEmpty, Seed } from "./ids.js"
import { type ArchetypeInput, OrganismEntry } from "./archetype.js"
import { Comparison, comparisonProblems } from "./comparison.js"
import { GateSettings } from "./gate.js"
import { PromptedOrganismSpec } from "./prompted/spec.js"
import { ExternalOrganismSpec } from "./external.js"
import { checkpointOrganismId, OrganismSeries } from "./series.js"
import { SearchSettings } from "./search-settings.js"
import { HarnessSettings } from "./harness.js"
import { HeldOut, HeldOutInput } from "./held-out.js"
import { ProviderSettings } from "./provider-settings.js"
import { type OrganismInput, OrganismSpec } from "./organism.js"
import { SequentialSampling, sprtRates } from "./sequential.js"
import { Sweep, SweepInput } from "./sweep.js"
import { Policy } from "./policy.js"
import { ServeSettings } from "./serve.js"
import { LIMITS } from "./limits.js"

export const ManipulationCheckSettings = Schema.Struct({
  /** Probe queries per condition; defects as rare as 1% need about 2,000 to show. */
  samples: Schema.optionalWith(CountUpTo(LIMITS.manipulationSamples), { default: () => 2000 })
})

export const GraderBatterySettings = Schema.Struct({
  /** Runs per property (the battery's cost is bounded by this); 0 skips the battery. */
  numRuns: Schema.optionalWith(CountUpTo(LIMITS.batteryRuns, 0), { default: () => 100 })
})

/** "Reliably caught": the level a detection probability's lower bound must clear, per kind of subject. */
export const ReliabilitySettings = Schema.Struct({
  triggers: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  evaluations: Schema.optional(Schema.Number.pipe(Schema.between(0, 1)))
})

/** How intervals are computed throughout the summary and memo. */
export const StatisticsSettings = Schema.Struct({
  /** Wilson (default) or Clopper-Pearson (exact, conservative). */
  interval: Schema.optionalWith(Schema.Literal("wilson", "clopper-pearson"), { default: () => "wilson" as const }),
  confidence: Schema.optionalWith(Schema.Number.pipe(Schema.greaterThan(0.5), Schema.lessThan(1)), { default: () => 0.95 })
})

const duplicates = (ids: ReadonlyArray<string>): Array<string> =>
  ids.filter((id, i) => ids.indexOf(id) !== i)

const AuditFields = Schema.Struct({
  /** The JSON Schema an editor validates a YAML or JSON audit with; ignored otherwise. */
  $schema: Schema.optional(Schema.String),
  name: Schema.NonEmptyString,
  description: Schema.optional(Schema.String),
  seed: Schema.optionalWith(Seed, { default: () => 1 }),
  replicates: Schema.optionalWith(CountUpTo(LIMITS.replicates), { default: () => 5 }),
  evaluations: NonEmpty(Evaluation),
  policy: Schema.optional(Policy),
  /** Archetype entries are expanded before decoding (`expandArchetypes`); see `AuditFileSchema`. */
  organisms: NonEmpty(OrganismSpec),
  manipulationCheck: Schema.optionalWith(ManipulationCheckSettings, {
    default: () => ({ samples: 2000 })
  }),
  graderBattery: Schema.optionalWith(GraderBatterySettings, { default: () => ({ numRuns: 100 }) }),
  statistics: Schema.optionalWith(StatisticsSettings, { default: () => ({ interval: "wilson" as const, confidence: 0.95 }) }),
  /** The sequential design of every evaluation that has none of its own. */
  sequential: Schema.optional(SequentialSampling),
  /** Indifference half-width of every evaluation and condition without its own (scoring only; see README "Scores"). */
  indifference: Schema.optional(Indifference),
  /** Lower bound an organism's detection probability must clear to count as reliably caught (scoring only). */
  reliability: Schema.optional(ReliabilitySettings),
  /** Organisms whose one parameter varies over a grid, for detection curves (scored apart from `organisms`). */
  sweeps: Schema.optionalWith(Schema.Array(Sweep), { default: () => [] }),
  /** Successive checkpoints of one organism whose capability or propensity grows: does each trigger fire in time? */
  series: Schema.optionalWith(Schema.Array(OrganismSeries), { default: () => [] }),
  /** Pairs of evaluation variants on the same samples whose paired difference the memo reports. */
  comparisons: Schema.optionalWith(Schema.Array(Comparison), { default: () => [] }),
  /** LLM endpoints by id, for prompted organisms and judge graders; keys come from environment variables only. */
  providers: Schema.optionalWith(Schema.Record({ key: Id, value: ProviderSettings }), { default: () => ({}) }),
  /** Real models whose system prompt induces a defect, with their truth declared. */
  promptedOrganisms: Schema.optionalWith(Schema.Array(PromptedOrganismSpec), { default: () => [] }),
  /**
   * Any model behind a provider, with its truth declared or measured under its unlock by a
   * calibration evaluation. Optional without a default, so audits without any keep their spec hash.
   */
  externalOrganisms: Schema.optional(Schema.Array(ExternalOrganismSpec)),
  /** Organisms the evaluations' authors must not see: scored beside the others, shown only as a hash until unsealed. */
  heldOut: Schema.optional(HeldOut),
  /** An adversarial search for the simplest organism that escapes the policy (`evalaudit search` runs it alone). */
  search: Schema.optional(SearchSettings),
  /** Thresholds `evalaudit check` holds the audit's results to (CI gate). */
  gate: Schema.optional(GateSettings),
  /** How `evalaudit serve` answers harnesses: answer formats per evaluation, the fallback reply. */
  serve: Schema.optional(ServeSettings),
  /** How `evalaudit score` maps a harness's logs (tasks, models) onto evaluations and organisms. */
  harness: Schema.optional(HarnessSettings)
})

/** Cross-references the schema alone cannot see: unique ids, known evaluations in triggers. */
const consistent = (spec: typeof AuditFields.Type): Array<Schema.FilterIssue> => {
  const issues: Array<Schema.FilterIssue> = []
  for (const id of duplicates(spec.evaluations.map((e) => e.id))) {
    issues.push({ path: ["evaluations"], message: `duplicate evaluation id "${id}"` })
  }
  for (const id of duplicates(spec.organisms.map((o) => o.id))) {
    issues.push({ path: ["organisms"], message: `duplicate organism id "${id}"` })
  }
  const organismIds = new Set(spec.organisms.map((o) => o.id))
  const providers = new Set(Object.keys(spec.providers))
  const knownProvider = (id: string) => providers.has(id) || `unknown provider "${id}"; declare it under providers (known: ${[...providers].join(", ") || "none"})`
  spec.promptedOrganisms.forEach((o, i) => {
    if (organismIds.has(o.id)) issues.push({ path: ["promptedOrganisms", i, "id"], message: `duplicate organism id "${o.id}"` })
    const known = knownProvider(o.provider)
    if (known !== true) issues.push({ path: ["promptedOrganisms", i, "provider"], message: known })
  })
  for (const id of duplicates(spec.promptedOrganisms.map((o) => o.id))) issues.push({ path: ["promptedOrganisms"], message: `duplicate organism id "${id}"` })
  const evaluationIds = spec.evaluations.map((e) => e.id)
  ;(spec.externalOrganisms ?? []).forEach((o, i) => {
    const known = knownProvider(o.provider)
    if (known !== true) issues.push({ path: ["externalOrganisms", i, "provider"], message: known })
    const calibration = o.calibration?.evaluation
    if (calibration !== undefined && !evaluationIds.includes(calibration)) {
      issues.push({ path: ["externalOrganisms", i, "calibration", "evaluation"], message: `unknown evaluation "${calibration}"; expected one of: ${evaluationIds.join(", ")}` })
    }
  })
  spec.evaluations.forEach((e, i) => {
    if (e.grader.type !== "judge") return
    const known = knownProvider(e.grader.provider)
    if (known !== true) issues.push({ path: ["evaluations", i, "grader", "provider"], message: known })
  })
  for (const id of duplicates(spec.sweeps.map((w) => w.id))) issues.push({ path: ["sweeps"], message: `duplicate sweep id "${id}"` })
  ;(spec.heldOut?.organisms ?? []).forEach((o, i) => {
    if (organismIds.has(o.id)) issues.push({ path: ["heldOut", "organisms", i, "id"], message: `held-out organism "${o.id}" clashes with an organism id` })
  })
  for (const id of duplicates((spec.heldOut?.organisms ?? []).map((o) => o.id))) issues.push({ path: ["heldOut"], message: `duplicate held-out organism id "${id}"` })
  // Every organism the run measures has its own id (cells and triggers are keyed by it),
  // generated ones included: sweep points `<sweep>.<i>`, checkpoints `<series>.<i>`, families.
  const respondents: Array<{ id: string; path: ReadonlyArray<PropertyKey> }> = [
    ...spec.organisms.map((o, i) => ({ id: o.id, path: ["organisms", i] })),
    ...(spec.heldOut?.organisms ?? []).map((o, i) => ({ id: o.id, path: ["heldOut", "organisms", i] })),
    ...spec.promptedOrganisms.map((o, i) => ({ id: o.id, path: ["promptedOrganisms", i] })),
    ...(spec.externalOrganisms ?? []).map((o, i) => ({ id: o.id, path: ["externalOrganisms", i] })),
    ...spec.sweeps.flatMap((w, i) => w.organisms.map((o) => ({ id: o.id, path: ["sweeps", i] }))),
    ...spec.series.flatMap((s, i) => Array.from({ length: s.checkpoints }, (_, c) => ({ id: checkpointOrganismId(s.id, c), path: ["series", i] })))
  ]
  const seen = new Map<string, ReadonlyArray<PropertyKey>>()
  for (const r of respondents) {
    const first = seen.get(r.id)
    if (first === undefined) seen.set(r.id, r.path)
    else issues.push({ path: r.path, message: `organism id "${r.id}" is also used at ${first.join(".")}; every organism, sweep point, checkpoint and held-out organism needs its own id` })
  }
  const otherIds = new Set([...organismIds, ...spec.sweeps.map((w) => w.id), ...spec.promptedOrganisms.map((o) => o.id), ...(spec.externalOrganisms ?? []).map((o) => o.id)])
  spec.series.forEach((s, i) => {
    if (otherIds.has(s.id)) issues.push({ path: ["series", i, "id"], message: `series id "${s.id}" clashes with an organism or sweep id` })
  })
  for (const id of duplicates(spec.series.map((s) => s.id))) issues.push({ path: ["series"], message: `duplicate series id "${id}"` })
  spec.sweeps.forEach((sweep, w) => {
    for (const o of sweep.organisms) {
      if (organismIds.has(o.id)) issues.push({ path: ["sweeps", w, "id"], message: `sweep organism "${o.id}" clashes with an organism id` })
    }
  })
  spec.evaluations.forEach((evaluation, i) => {
    const design = evaluation.sequential ?? spec.sequential
    if (design === undefined) return
    if (evaluation.clusterBy !== undefined) {
      // Stopping boundaries are computed for independent samples; clustered ones would stop on too little evidence.
      issues.push({
        path: ["evaluations", i, "clusterBy"],
        message: "a sequential design assumes independent samples; it cannot stop early on clustered ones: drop clusterBy or sequential"
      })
      return
    }
    const t = evaluation.decision.threshold
    if (!(t > 0 && t < 1)) {
      issues.push({ path: ["evaluations", i, "decision", "threshold"], message: `a sequential design needs a threshold strictly between 0 and 1, got ${t}` })
    } else if (design.method === "sprt" && evaluation.decision.rule !== "point") {
      issues.push({
        path: ["evaluations", i, "sequential"],
        message: `the SPRT tests rates, not confidence bounds: use it with a point rule, or use { method: confidence-bound } with a ${evaluation.decision.rule} rule`
      })
    } else if (design.method === "sprt") {
      const { p0, p1 } = sprtRates(design, t)
      if (!(p0 < t && t <= p1)) {
        issues.push({ path: ["evaluations", i, "sequential"], message: `SPRT rates must bracket the threshold ${t} (p0 < threshold <= p1), got p0 ${p0}, p1 ${p1}` })
      }
    }
  })
  issues.push(
    ...comparisonProblems(
      spec.comparisons,
      spec.evaluations.map((e) => ({ id: e.id, measures: e.measures, sampleIds: "samples" in e.dataset ? e.dataset.samples.map((s) => s.id) : undefined }))
    )
  )
  const known = new Set(spec.evaluations.map((e) => e.id))
  for (const id of Object.keys(spec.serve?.answerFormats ?? {})) {
    if (!known.has(id)) issues.push({ path: ["serve", "answerFormats", id], message: `unknown evaluation "${id}"; expected one of: ${[...known].join(", ")}` })
  }
  const triggers = spec.policy?.triggers ?? []
  for (const id of duplicates(triggers.map((t) => t.id))) {
    issues.push({ path: ["policy", "triggers"], message: `duplicate trigger id "${id}"` })
  }
  triggers.forEach((trigger, t) => {
    trigger.conditions.forEach((condition, c) => {
      if (!known.has(condition.evaluation)) {
        issues.push({
          path: ["policy", "triggers", t, "conditions", c, "evaluation"],
          message: `unknown evaluation "${condition.evaluation}"; expected one of: ${[...known].join(", ")}`
        })
      }
    })
    trigger.conditions.forEach((condition, c) => {
      const evaluation = spec.evaluations.find((e) => e.id === condition.evaluation)
      if (condition.threshold !== undefined && evaluation !== undefined && (evaluation.sequential ?? spec.sequential) !== undefined) {
        issues.push({
          path: ["policy", "triggers", t, "conditions", c, "threshold"],
          message: `evaluation "${condition.evaluation}" samples sequentially toward its own threshold; a trigger cannot decide it at another one`
        })
      }
    })
    if (typeof trigger.when === "object" && trigger.when.atLeast > trigger.conditions.length) {
      issues.push({
        path: ["policy", "triggers", t, "when", "atLeast"],
        message: `atLeast ${trigger.when.atLeast} exceeds the ${trigger.conditions.length} conditions`
      })
    }
  })
  return issues
}

export const AuditSpec = AuditFields.pipe(Schema.filter(consistent))
export type AuditSpec = typeof AuditSpec.Type

/** What an audit file or `defineAudit` may contain: organisms in full or as catalog archetypes, sweeps over one archetype parameter. */
export type AuditInput = Omit<typeof AuditSpec.Encoded, "organisms" | "sweeps" | "heldOut"> & {
  readonly organisms: ReadonlyArray<OrganismInput | ArchetypeInput>
  readonly sweeps?: ReadonlyArray<typeof SweepInput.Encoded>
  readonly heldOut?: typeof HeldOutInput.Encoded
}

/** The shape of audit files, for the JSON Schema editors use (cross-field rules are checked by `AuditSpec`). */
export const AuditFileSchema = Schema.Struct({
  ...AuditFields.fields,
  organisms: NonEmpty(OrganismEntry),
  sweeps: Schema.optional(Schema.Array(SweepInput)),
  heldOut: Schema.optional(HeldOutInput)
})

/** An audit whose datasets have been read, ready to plan and run; the store keeps it whole. */
const { $schema: _, ...resolvedFields } = AuditFields.fields

export const ResolvedAudit = Schema.Struct({
  ...resolvedFields,
  evaluations: NonEmpty(ResolvedEvaluation),
  organisms: NonEmpty(OrganismSpec),
  /** Where the audit came from (a file path), for memos and error messages. */
  source: Schema.String
})
export type ResolvedAudit = typeof ResolvedAudit.Type

/**
 * Declares an audit in TypeScript with editor completion. The value is validated when
 * the CLI loads it, like a declarative file.
 */
export const defineAudit = (input: AuditInput): AuditInput => input
