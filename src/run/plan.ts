import type { ResolvedAudit } from "../domain/audit.js"

export interface PlannedCell {
  readonly evaluation: number
  readonly organism: number
  readonly replicate: number
}

/**
 * Every cell of the audit (evaluation x organism x replicate) in a fixed order, for the
 * organisms that passed their manipulation check; `done` cells are settled without running.
 */
export const planCells = (
  audit: ResolvedAudit,
  replicates: number,
  scoredOrganisms: ReadonlySet<string>,
  isDone: (evaluation: string, organism: string, replicate: number) => boolean
): { readonly pending: ReadonlyArray<PlannedCell>; readonly done: number } => {
  const pending: Array<PlannedCell> = []
  let done = 0
  audit.evaluations.forEach((evaluation, e) => {
    audit.organisms.forEach((organism, o) => {
      if (!scoredOrganisms.has(organism.id)) return
      for (let replicate = 0; replicate < replicates; replicate++) {
        if (isDone(evaluation.id, organism.id, replicate)) done++
        else pending.push({ evaluation: e, organism: o, replicate })
      }
    })
  })
  return { pending, done }
}

/** Splits cells into store batches of about `maxSamples` responses (at least one cell each). */
export const batches = <A>(items: ReadonlyArray<A>, size: (a: A) => number, maxSamples: number): ReadonlyArray<ReadonlyArray<A>> => {
  const out: Array<Array<A>> = []
  let current: Array<A> = []
  let total = 0
  for (const item of items) {
    const s = size(item)
    if (current.length > 0 && total + s > maxSamples) {
      out.push(current)
      current = []
      total = 0
    }
    current.push(item)
    total += s
  }
  if (current.length > 0) out.push(current)
  return out
}
