export interface PlannedCell<E, O> {
  readonly evaluation: E
  readonly organism: O
  readonly replicate: number
}

/**
 * Every cell (evaluation x organism x replicate) in a fixed order; cells for which
 * `isDone` holds are settled without running and only counted. Cells outside `include`
 * (another shard's) are neither.
 */
export const planCells = <E, O>(
  evaluations: ReadonlyArray<E>,
  organisms: ReadonlyArray<O>,
  replicates: number,
  isDone: (evaluation: E, organism: O, replicate: number) => boolean,
  include: (evaluation: E, organism: O, replicate: number) => boolean = () => true
): { readonly pending: ReadonlyArray<PlannedCell<E, O>>; readonly done: number } => {
  const pending: Array<PlannedCell<E, O>> = []
  let done = 0
  for (const evaluation of evaluations) {
    for (const organism of organisms) {
      for (let replicate = 0; replicate < replicates; replicate++) {
        if (!include(evaluation, organism, replicate)) continue
        if (isDone(evaluation, organism, replicate)) done++
        else pending.push({ evaluation, organism, replicate })
      }
    }
  }
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
