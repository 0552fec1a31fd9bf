import type { ResolvedAudit } from "../domain/audit.js"
import type { Shard } from "../domain/shard.js"
import { partition } from "../measure/partition.js"
import { planCells } from "../measure/plan.js"
import { cellKey } from "../store/audit-store.js"
import { measuredOrganisms } from "./phases/3-measure.js"

/**
 * Whether a cell belongs to `shard`. The run's cells are split by their planned samples
 * (dataset size x epochs), balanced with the greedy rule of `partition`. Every organism the
 * run may measure is split, checked or not, so every shard splits alike whatever its own
 * manipulation checks found (a prompted organism's check asks a model, which may answer
 * differently on another machine); an organism that fails its check is then measured by none.
 */
export const shardCells = (audit: ResolvedAudit, replicates: number, shard: Shard) => {
  const cells = planCells(audit.evaluations, measuredOrganisms(audit, "all"), replicates, () => false).pending
  const parts = partition(
    cells.map((c) => ({ key: cellKey(c.evaluation.id, c.organism.id, c.replicate), weight: c.evaluation.dataset.samples.length * c.evaluation.protocol.epochs })),
    shard.count
  )
  return (evaluation: string, organism: string, replicate: number): boolean => parts.get(cellKey(evaluation, organism, replicate)) === shard.index - 1
}
