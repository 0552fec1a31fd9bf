import { wilson, type Proportion } from "../../stats/proportion.js"
import type { GraderUnderTest, LabelledExample } from "./grader-under-test.js"
import { PROPERTIES, type GraderProperty } from "./properties.js"
import type { PropertyResult } from "./property-result.js"

/** Agreement of the grader with labelled examples, in the spirit of OpenAI Evals' metaeval. */
export interface Agreement {
  readonly accuracy: Proportion
  readonly minimum: number
  readonly passed: boolean
  /** The first disagreements, for the memo. */
  readonly disagreements: ReadonlyArray<LabelledExample & { readonly given: number }>
}

export interface BatteryReport {
  readonly grader: string
  readonly results: ReadonlyArray<PropertyResult>
  readonly agreement: Agreement | null
  readonly passed: boolean
}

export interface BatteryOptions {
  /** Runs per property (default 100): the battery's cost is bounded by this. */
  readonly numRuns?: number | undefined
  /** Seed of every property run; a failure reports it with the path that replays it. */
  readonly seed?: number | undefined
  /** Replay one failure: the property name, seed and path a report printed. */
  readonly replay?: { readonly property: string; readonly seed: number; readonly path: string } | undefined
  /** Lower bound of the agreement's 95% interval that passes (default 0.9). */
  readonly minimumAgreement?: number | undefined
  readonly properties?: ReadonlyArray<GraderProperty> | undefined
}

/** Scores agree when they fall on the same side of 0.5. */
const agreement = (grader: GraderUnderTest, examples: ReadonlyArray<LabelledExample>, minimum: number): Agreement => {
  const graded = examples.map((e) => ({ ...e, given: grader.grade(e.sample, e.response).score }))
  const disagreements = graded.filter((e) => e.given >= 0.5 !== e.score >= 0.5)
  const accuracy = wilson(graded.length - disagreements.length, graded.length)
  return { accuracy, minimum, passed: accuracy.lower >= minimum, disagreements: disagreements.slice(0, 5) }
}

/** Runs every applicable property of the battery (and the labelled agreement, if labels are given) on one grader. */
export const runBattery = (grader: GraderUnderTest, options: BatteryOptions = {}): BatteryReport => {
  const numRuns = options.numRuns ?? 100
  const seed = options.seed ?? 1
  const properties = options.properties ?? PROPERTIES
  const results = properties
    .filter((p) => options.replay === undefined || p.name === options.replay.property)
    .map((p): PropertyResult => {
      const built = p.build(grader)
      if ("notApplicable" in built) return { _tag: "NotApplicable", property: p.name, reason: built.notApplicable }
      const replay = options.replay
      return built(p.name)(replay === undefined ? { numRuns, seed } : { numRuns, seed: replay.seed, path: replay.path })
    })
  const agreed = grader.labelled === undefined || grader.labelled.length === 0 ? null : agreement(grader, grader.labelled, options.minimumAgreement ?? 0.9)
  return {
    grader: grader.name,
    results,
    agreement: agreed,
    passed: results.every((r) => r._tag !== "Failed") && (agreed === null || agreed.passed)
  }
}
