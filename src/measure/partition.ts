/**
 * Splits weighted items into `count` parts of about equal weight, the same way on every
 * machine: greedy largest-first (the LPT rule, within 4/3 of the best possible heaviest
 * part), each item onto the lightest part so far. Ties are broken by key (items) and by part
 * number (parts), so the split depends on nothing but the items.
 */
export interface Weighted {
  readonly key: string
  readonly weight: number
}

interface Part {
  readonly part: number
  load: number
}

const lighter = (a: Part, b: Part): boolean => a.load < b.load || (a.load === b.load && a.part < b.part)

/** Restores a binary min-heap of parts by (load, part number) after the root got heavier. */
const siftDown = (heap: Array<Part>): void => {
  let i = 0
  for (;;) {
    let least = i
    for (const child of [2 * i + 1, 2 * i + 2]) {
      const c = heap[child]
      const l = heap[least]
      if (c !== undefined && l !== undefined && lighter(c, l)) least = child
    }
    const a = heap[i]
    const b = heap[least]
    if (least === i || a === undefined || b === undefined) return
    heap[i] = b
    heap[least] = a
    i = least
  }
}

/** The part (0-based) of every item, by key. */
export const partition = (items: ReadonlyArray<Weighted>, count: number): Map<string, number> => {
  const order = [...items].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  // Parts start empty and in number order, which is already a valid heap.
  const heap: Array<Part> = Array.from({ length: count }, (_, part) => ({ part, load: 0 }))
  const parts = new Map<string, number>()
  for (const item of order) {
    const lightest = heap[0]
    if (lightest === undefined) break
    parts.set(item.key, lightest.part)
    lightest.load += item.weight
    siftDown(heap)
  }
  return parts
}
