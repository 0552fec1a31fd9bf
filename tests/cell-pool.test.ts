import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { cellPool } from "../src/audit/cell-pool.js"
import { measureInProcess, prepareEvaluation } from "../src/measure/measure-cell.js"
import { simulatedRespondent } from "../src/measure/respondent.js"
import { simulate } from "../src/organisms/organism.js"
import { resolveInline, smallAudit } from "./support/audits.js"

describe("cell pool", () => {
  it("worker threads measure every cell exactly as the main thread does, in the order asked", async () => {
    const audit = resolveInline(smallAudit({ seed: 23 }))
    const seed = 41
    const tasks = audit.evaluations.flatMap((_, evaluation) =>
      audit.organisms.flatMap((o) => [0, 1].map((replicate) => ({ evaluation, organism: o.id, replicate })))
    )
    const pooled = await Effect.runPromise(Effect.scoped(Effect.flatMap(cellPool(audit, seed, 2), (pool) => pool.measure(tasks))))
    const organisms = new Map(audit.organisms.map((o) => [o.id, simulatedRespondent(simulate(o))]))
    const local = tasks.map((t) => {
      const evaluation = audit.evaluations[t.evaluation]
      const organism = organisms.get(t.organism)
      if (evaluation === undefined || organism === undefined) throw new Error("no such cell")
      return measureInProcess(prepareEvaluation(evaluation), organism, seed, t.replicate)
    })
    expect(pooled.length).toBe(tasks.length)
    expect(pooled).toEqual(local)
  })
})
