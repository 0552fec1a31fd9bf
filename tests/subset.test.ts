import { describe, expect, it } from "vitest"
import type { Sample } from "../src/domain/sample.js"
import { allocate, SubsetCollector, type SubsetRequest } from "../src/evaluations/datasets/subset.js"

const samples = (n: number, stratum: (i: number) => string): Array<Sample> =>
  Array.from({ length: n }, (_, i) => ({ id: `s${i}`, input: `q${i}`, metadata: { subject: stratum(i) } }))

const take = (request: SubsetRequest, items: ReadonlyArray<Sample>) => {
  const collector = new SubsetCollector(request)
  for (const s of items) collector.add(s)
  return collector.result()
}

const ids = (items: ReadonlyArray<Sample>): Array<string> => items.map((s) => s.id)

describe("seeded subsets", () => {
  const pool = samples(1000, (i) => (i % 10 < 7 ? "bio" : i % 10 < 9 ? "chem" : "cyber"))
  const request = { limit: 100, seed: 7 }

  it("takes exactly the limit, in file order, reproducibly", () => {
    const a = take(request, pool)
    expect(a.samples).toHaveLength(100)
    const order = ids(a.samples).map((id) => Number(id.slice(1)))
    expect(order).toEqual([...order].sort((x, y) => x - y))
    expect(ids(take(request, pool).samples)).toEqual(ids(a.samples))
  })

  it("does not depend on the order of the file, and changes with the seed", () => {
    const forward = new Set(ids(take(request, pool).samples))
    const backward = new Set(ids(take(request, [...pool].reverse()).samples))
    expect(backward).toEqual(forward)
    const other = new Set(ids(take({ ...request, seed: 8 }, pool).samples))
    const shared = [...other].filter((id) => forward.has(id)).length
    // Two independent 10% subsets share about 10 samples; far from all 100.
    expect(shared).toBeLessThan(30)
  })

  it("is the same for a stream whose head was already seen: the subset of a prefix is kept", () => {
    // Bottom-k keeps, for every prefix, the smallest keys so far: the 100 of 1,000 are among the 100 of the first 600 or of the rest.
    const whole = new Set(ids(take(request, pool).samples))
    const head = ids(take(request, pool.slice(0, 600)).samples)
    const tail = ids(take(request, pool.slice(600)).samples)
    for (const id of whole) expect(head.includes(id) || tail.includes(id)).toBe(true)
  })

  it("stratifies in proportion to the strata's sizes", () => {
    const { samples: kept, taken } = take({ ...request, stratifyBy: "subject" }, pool)
    expect(kept).toHaveLength(100)
    expect(taken.strata).toEqual({
      bio: { available: 700, taken: 70 },
      chem: { available: 200, taken: 20 },
      cyber: { available: 100, taken: 10 }
    })
    expect(taken.from).toBe(1000)
  })

  it("puts samples without the field in their own stratum", () => {
    const mixed = [...samples(30, () => "a"), ...Array.from({ length: 10 }, (_, i) => ({ id: `x${i}`, input: "?" }))]
    const { taken } = take({ limit: 8, seed: 1, stratifyBy: "subject" }, mixed)
    expect(taken.strata).toEqual({ a: { available: 30, taken: 6 }, "(missing)": { available: 10, taken: 2 } })
  })

  it("keeps everything when the limit exceeds the dataset", () => {
    const { samples: kept, taken } = take({ ...request, limit: 5000 }, pool)
    expect(kept).toHaveLength(1000)
    expect(taken.from).toBe(1000)
  })

  it("allocates by largest remainders and never more than a stratum holds", () => {
    expect(Object.fromEntries(allocate(10, new Map([["a", 5], ["b", 3], ["c", 2]])))).toEqual({ a: 5, b: 3, c: 2 })
    expect(Object.fromEntries(allocate(3, new Map([["a", 5], ["b", 3], ["c", 2]])))).toEqual({ a: 1, b: 1, c: 1 })
    const quotas = allocate(7, new Map([["a", 1], ["b", 1], ["c", 100]]))
    expect([...quotas.values()].reduce((s, n) => s + n, 0)).toBe(7)
    for (const [k, q] of quotas) expect(q).toBeLessThanOrEqual(k === "c" ? 100 : 1)
  })
})
