import type { ResolvedAudit } from "../domain/audit.js"
import { AuditFileError } from "../domain/audit-file-error.js"
import { formatLimit } from "../domain/limits.js"
import { PROPERTIES } from "../evaluations/graders/battery/properties.js"

/** Graded responses a run may make without `--allow-large`: 760 times the example audit's 130,900. */
export const WORK_BUDGET = 100_000_000

/** A run's work, counted before anything is written: graded responses by phase. */
export interface WorkEstimate {
  /** Evaluation x organism x replicate. */
  readonly cells: number
  /** Responses over every cell: samples x epochs (the most a sequential design may use). */
  readonly measure: number
  /** Manipulation checks: each defect layer probed with and without its defect. */
  readonly checks: number
  /** The grader battery: runs per property, every property, every distinct grader. */
  readonly battery: number
  /** The adversarial search: organisms drawn x replicates x every evaluation's responses. */
  readonly search: number
  readonly total: number
}

/** Estimates the work of running `audit` with `replicates`: the sizes that make it, multiplied out (floating point, so 1e30 does not wrap). */
export const estimateWork = (audit: ResolvedAudit, replicates: number = audit.replicates): WorkEstimate => {
  const respondents =
    audit.organisms.length +
    (audit.heldOut?.organisms.length ?? 0) +
    audit.promptedOrganisms.length +
    audit.sweeps.reduce((n, s) => n + s.organisms.length, 0) +
    audit.series.reduce((n, s) => n + s.checkpoints, 0)
  const perReplicate = audit.evaluations.reduce((n, e) => n + e.dataset.samples.length * e.protocol.epochs, 0)
  const layers = [...audit.organisms, ...(audit.heldOut?.organisms ?? [])].reduce((n, o) => n + o.layers.length, 0)
  const graders = new Set(audit.evaluations.map((e) => JSON.stringify(e.grader))).size
  const searched = audit.search === undefined ? 0 : (audit.search.numRuns + audit.search.estimateSamples) * audit.search.replicates * perReplicate
  const parts = {
    cells: audit.evaluations.length * respondents * replicates,
    measure: perReplicate * respondents * replicates,
    checks: 2 * layers * audit.manipulationCheck.samples + 2 * audit.promptedOrganisms.length * audit.manipulationCheck.samples,
    battery: audit.graderBattery.numRuns * PROPERTIES.length * graders,
    search: searched
  }
  return { ...parts, total: parts.measure + parts.checks + parts.battery + parts.search }
}

const size = (n: number): string => (n < 1e15 ? formatLimit(Math.round(n)) : n.toExponential(1))

/**
 * Refuses a run whose estimated work exceeds `WORK_BUDGET`, before the store is opened:
 * a `replicates: 1000` with a 100,000-sample dataset is more likely a slip than a plan.
 * `allowLarge` (`--allow-large`) runs it anyway.
 */
export const checkWorkBudget = (audit: ResolvedAudit, options: { readonly replicates?: number | undefined; readonly allowLarge: boolean }): AuditFileError | undefined => {
  const work = estimateWork(audit, options.replicates)
  if (options.allowLarge || work.total <= WORK_BUDGET) return undefined
  const parts = (
    [
      ["cells", work.measure, `${size(work.cells)} cells`],
      ["manipulation checks", work.checks, ""],
      ["grader battery", work.battery, ""],
      ["search", work.search, ""]
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([name, n, note]) => `${name} ${size(n)}${note === "" ? "" : ` over ${note}`}`)
  return new AuditFileError({
    file: audit.source,
    path: "",
    message: `this run would grade about ${size(work.total)} responses (${parts.join(", ")}), over the budget of ${size(WORK_BUDGET)}; lower replicates, epochs, sample counts or check sizes, or pass --allow-large`
  })
}
