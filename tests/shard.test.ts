/**
 * Sharding's pure parts: the balanced split of cells, `--shard i/n`, and the environment
 * variables `--shard auto` reads (Kubernetes Indexed Job, Slurm array, explicit pair).
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { shardCells } from "../src/audit/shard-cells.js"
import { parseShard, type ShardEnvironment, shardFromEnvironment } from "../src/cli/shard-option.js"
import type { Shard } from "../src/domain/shard.js"
import { partition } from "../src/measure/partition.js"
import { resolveInline, smallAudit } from "./support/audits.js"

const right = (e: Either.Either<Shard, { readonly message: string }>): Shard => Either.getOrThrowWith(e, (l) => new Error(l.message))
const left = (e: Either.Either<Shard, { readonly message: string }>): string => Either.match(e, { onLeft: (l) => l.message, onRight: (s) => `shard ${s.index}/${s.count}` })

describe("partition", () => {
  it("puts every item in one part, largest first onto the lightest part", () => {
    const items = [
      { key: "a", weight: 5 },
      { key: "b", weight: 4 },
      { key: "c", weight: 3 },
      { key: "d", weight: 3 },
      { key: "e", weight: 2 },
      { key: "f", weight: 1 }
    ]
    // a, b, c open the parts (loads 5, 4, 3); d joins the lightest (part 2: 6), e part 1 (6), f part 0 (6)
    expect(Object.fromEntries(partition(items, 3))).toEqual({ a: 0, b: 1, c: 2, d: 2, e: 1, f: 0 })
  })

  it("depends only on the items: any input order gives the same split, ties broken by key", () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ key: `cell-${i}`, weight: (i * 37) % 11 }))
    const reversed = [...items].reverse()
    expect(partition(reversed, 7)).toEqual(partition(items, 7))
    // Equal weights: keys in code-point order go round the parts.
    expect(Object.fromEntries(partition([{ key: "y", weight: 1 }, { key: "x", weight: 1 }, { key: "z", weight: 1 }], 2))).toEqual({ x: 0, y: 1, z: 0 })
  })

  it("balances: the heaviest part is within the largest item of the lightest", () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ key: `k${i}`, weight: 1 + ((i * 7919) % 97) }))
    for (const count of [2, 3, 8, 16]) {
      const parts = partition(items, count)
      const loads = Array.from({ length: count }, (_, part) => items.filter((item) => parts.get(item.key) === part).reduce((sum, item) => sum + item.weight, 0))
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(97)
    }
  })

  it("more parts than items leaves the extra parts empty", () => {
    expect(Object.fromEntries(partition([{ key: "only", weight: 3 }], 4))).toEqual({ only: 0 })
  })
})

describe("shardCells", () => {
  it("every cell of the audit in exactly one of n shards, with about equal samples", () => {
    const audit = resolveInline(smallAudit())
    const count = 4
    const inShard = Array.from({ length: count }, (_, i) => shardCells(audit, 3, { index: i + 1, count }))
    const samples = Array.from({ length: count }, () => 0)
    let cells = 0
    for (const e of audit.evaluations) {
      for (const o of audit.organisms) {
        for (let r = 0; r < 3; r++) {
          const owners = inShard.flatMap((f, i) => (f(e.id, o.id, r) ? [i] : []))
          expect(owners, `${e.id}/${o.id}/${r}`).toHaveLength(1)
          const owner = owners[0] ?? 0
          samples[owner] = (samples[owner] ?? 0) + e.dataset.samples.length
          cells++
        }
      }
    }
    expect(cells).toBe(audit.evaluations.length * audit.organisms.length * 3)
    // Every evaluation has 40 samples: the shards differ by at most one cell.
    expect(Math.max(...samples) - Math.min(...samples)).toBeLessThanOrEqual(40)
  })
})

describe("--shard i/n", () => {
  it("reads i/n with 1 <= i <= n", () => {
    expect(right(parseShard("2/4"))).toEqual({ index: 2, count: 4 })
    expect(right(parseShard("1/1"))).toEqual({ index: 1, count: 1 })
  })

  it.each(["0/4", "5/4", "2", "2/", "/4", "-1/4", "2/4/1", " 2/4", "2 / 4", "a/b", "1.5/4"])("refuses %j, naming the flag", (text) => {
    expect(left(parseShard(text))).toMatch(/^--shard: expected i\/n with 1 <= i <= n/)
  })
})

describe("--shard auto", () => {
  const auto = (env: ShardEnvironment) => shardFromEnvironment(env)

  it("explicit EVALAUDIT_SHARD_INDEX (1-based) and EVALAUDIT_SHARD_COUNT, e.g. from a CI matrix", () => {
    expect(right(auto({ EVALAUDIT_SHARD_INDEX: "3", EVALAUDIT_SHARD_COUNT: "4" }))).toEqual({ index: 3, count: 4 })
  })

  it("a Kubernetes Indexed Job: JOB_COMPLETION_INDEX is 0-based, the count comes from EVALAUDIT_SHARD_COUNT", () => {
    expect(right(auto({ JOB_COMPLETION_INDEX: "0", EVALAUDIT_SHARD_COUNT: "4" }))).toEqual({ index: 1, count: 4 })
    expect(right(auto({ JOB_COMPLETION_INDEX: "3", EVALAUDIT_SHARD_COUNT: "4" }))).toEqual({ index: 4, count: 4 })
    expect(left(auto({ JOB_COMPLETION_INDEX: "4", EVALAUDIT_SHARD_COUNT: "4" }))).toContain("JOB_COMPLETION_INDEX names shard 5/4")
    expect(left(auto({ JOB_COMPLETION_INDEX: "1" }))).toContain("EVALAUDIT_SHARD_COUNT is not set (Kubernetes does not export")
  })

  it("a Slurm array: the task id from SLURM_ARRAY_TASK_MIN in steps of SLURM_ARRAY_TASK_STEP", () => {
    expect(right(auto({ SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "8", SLURM_ARRAY_TASK_MIN: "1" }))).toEqual({ index: 1, count: 8 })
    expect(right(auto({ SLURM_ARRAY_TASK_ID: "8", SLURM_ARRAY_TASK_COUNT: "8", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_STEP: "1" }))).toEqual({ index: 8, count: 8 })
    expect(right(auto({ SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_COUNT: "4" }))).toEqual({ index: 1, count: 4 })
    // --array=0-15:4 -> tasks 0, 4, 8, 12
    expect(right(auto({ SLURM_ARRAY_TASK_ID: "8", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_STEP: "4" }))).toEqual({ index: 3, count: 4 })
    expect(left(auto({ SLURM_ARRAY_TASK_ID: "6", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_STEP: "4" }))).toContain("SLURM_ARRAY_TASK_ID=6 is not one of the 4 tasks")
    expect(left(auto({ SLURM_ARRAY_TASK_ID: "9", SLURM_ARRAY_TASK_COUNT: "8", SLURM_ARRAY_TASK_MIN: "1" }))).toContain("SLURM_ARRAY_TASK_ID=9")
    expect(left(auto({ SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "1" }))).toContain("SLURM_ARRAY_TASK_ID=0")
    expect(left(auto({ SLURM_ARRAY_TASK_ID: "2" }))).toContain("SLURM_ARRAY_TASK_COUNT is not set")
  })

  it("the explicit pair wins over a scheduler's variables", () => {
    expect(right(auto({ EVALAUDIT_SHARD_INDEX: "2", EVALAUDIT_SHARD_COUNT: "2", JOB_COMPLETION_INDEX: "0", SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_COUNT: "2" }))).toEqual({ index: 2, count: 2 })
  })

  it.each([
    [{ EVALAUDIT_SHARD_INDEX: "0", EVALAUDIT_SHARD_COUNT: "4" }, "EVALAUDIT_SHARD_INDEX must be a whole number of at least 1"],
    [{ EVALAUDIT_SHARD_INDEX: "5", EVALAUDIT_SHARD_COUNT: "4" }, "EVALAUDIT_SHARD_INDEX names shard 5/4"],
    [{ EVALAUDIT_SHARD_INDEX: "2", EVALAUDIT_SHARD_COUNT: "four" }, 'EVALAUDIT_SHARD_COUNT must be a whole number of at least 1, got "four"'],
    [{ EVALAUDIT_SHARD_INDEX: "2" }, "EVALAUDIT_SHARD_COUNT is not set"],
    [{ EVALAUDIT_SHARD_INDEX: "+2", EVALAUDIT_SHARD_COUNT: "4" }, "EVALAUDIT_SHARD_INDEX must be"],
    [{ JOB_COMPLETION_INDEX: "", EVALAUDIT_SHARD_COUNT: "4" }, "JOB_COMPLETION_INDEX must be"],
    [{ JOB_COMPLETION_INDEX: "1", EVALAUDIT_SHARD_COUNT: "0" }, "EVALAUDIT_SHARD_COUNT must be a whole number of at least 1"],
    [{ SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_STEP: "0" }, "SLURM_ARRAY_TASK_STEP must be"],
    [{}, "none of EVALAUDIT_SHARD_INDEX, JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID is set"]
  ])("a bad environment %j is refused, naming the variable", (env, message) => {
    expect(left(auto(env))).toContain(message)
  })
})
