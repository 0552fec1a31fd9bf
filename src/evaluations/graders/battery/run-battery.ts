import { wilson, type Proportion } from "../../../stats/proportion.js"
import type { GraderUnderTest, LabelledExample } from "./grader-under-test.js"
import { PROPERTIES, type GraderProperty } from "./properties.js"
import type { PropertyResult } from "./property-result.js"

/** Agreement of the grader with labelled examples, in the spirit of OpenAI Evals' metaeval. */
export interface Agreement {
  readonly accuracy: Proportion
  readonly minimum: number
  readonly passed: boolean
  /** The first disagreements, for reports. */
  readonly disagreements: ReadonlyArray<LabelledExample & { readonly given: number }>
}

export interface BatteryReport {
  readonly grader: string
  readonly results: ReadonlyArray<PropertyResult>
  readonly agreement: Agreement | null
  /** No property failed or was cut short by the time limit, and the agreement (if any) holds. */
  readonly passed: boolean
}

export interface BatteryOptions {
  /** Runs per property (default 100). */
  readonly numRuns?: number | undefined
  /** Time per property after which no new run starts (default 10 s): the battery's cost is bounded by both. */
  readonly timeLimitMs?: number | undefined
  /** Seed of every property run; a failure reports it with the path that replays it. */
  readonly seed?: number | undefined
  /** Replay one failure: the property name, seed and path a report printed. */
  readonly replay?: { readonly property: string; readonly seed: number; readonly path: string } | undefined
  /** Lower bound of the agreement's 95% interval that passes (default 0.9). */
  readonly minimumAgreement?: number | undefined
}

export const propertyNames: ReadonlyArray<string> = PROPERTIES.map((p) => p.name)

/** Scores agree when they fall on the same side of 0.5. */
export const agreementWith = (grader: GraderUnderTest, examples: ReadonlyArray<LabelledExample>, minimum = 0.9): Agreement => {
  const graded = examples.map((e) => ({ ...e, given: grader.grade(e.sample, e.response).score }))
  const disagreements = graded.filter((e) => e.given >= 0.5 !== e.score >= 0.5)
  const accuracy = wilson(graded.length - disagreements.length, graded.length)
  return { accuracy, minimum, passed: accuracy.lower >= minimum, disagreements: disagreements.slice(0, 5) }
}

/** Runs one property on one grader (or says why it does not apply). */
export const runProperty = (grader: GraderUnderTest, property: GraderProperty, options: BatteryOptions = {}): PropertyResult => {
  const built = property.build(grader)
  if ("notApplicable" in built) return { _tag: "NotApplicable", property: property.name, reason: built.notApplicable }
  const replay = options.replay
  return built(property.name)({
    numRuns: options.numRuns ?? 100,
    timeLimitMs: options.timeLimitMs ?? 10_000,
    seed: replay?.seed ?? options.seed ?? 1,
    path: replay?.path
  })
}

/**
 * Runs every property of the battery (and the labelled agreement, if labels are given) on
 * one grader; with `replay`, only the named property, from the reported seed and path.
 */
export const runBattery = (grader: GraderUnderTest, options: BatteryOptions = {}): BatteryReport => {
  const replay = options.replay
  const selected = replay === undefined ? PROPERTIES : PROPERTIES.filter((p) => p.name === replay.property)
  if (selected.length === 0) throw new RangeError(`no property "${replay?.property}"; expected one of ${propertyNames.join(", ")}`)
  const results = selected.map((p) => runProperty(grader, p, options))
  const labelled = grader.labelled ?? []
  const agreement = labelled.length === 0 || replay !== undefined ? null : agreementWith(grader, labelled, options.minimumAgreement)
  return {
    grader: grader.name,
    results,
    agreement,
    passed: results.every((r) => r._tag === "Passed" || r._tag === "NotApplicable") && (agreement === null || agreement.passed)
  }
}
