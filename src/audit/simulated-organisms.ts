import type { ResolvedAudit } from "../domain/audit.js"
import type { OrganismSpec } from "../domain/organism.js"
import { checkpointOrganisms } from "../domain/series.js"

/**
 * Every simulated organism a run can measure, in the order cells are planned: the audit's
 * and the held-out ones (measured only if they pass their manipulation check), every sweep
 * organism and every checkpoint of a series. The main thread and the cell workers read
 * them from the same audit, so both simulate the same organisms.
 */
export const simulatedOrganismSpecs = (audit: ResolvedAudit): {
  readonly checked: ReadonlyArray<OrganismSpec>
  readonly unchecked: ReadonlyArray<OrganismSpec>
} => ({
  checked: [...audit.organisms, ...(audit.heldOut?.organisms ?? [])],
  // A sweep maps detection against the defect's size, small sizes included, so its points are not checked one by one.
  unchecked: [...audit.sweeps.flatMap((s) => s.organisms), ...audit.series.flatMap(checkpointOrganisms)]
})
