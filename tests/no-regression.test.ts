import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Progress } from "../src/audit/progress.js"
import { runAudit } from "../src/audit/run-audit.js"
import { layerSqlite } from "../src/store/audit-store.js"
import { comparable, resolveInline, smallAudit } from "./support/audits.js"

/**
 * A fixed-seed summary kept in the repository: any change to hashing, organisms, graders,
 * decision rules or scoring that moves a number shows up here as a reviewable diff. Update
 * it deliberately (`npx --no-install vitest run -u`) and say why in the commit.
 */
describe("no regression", () => {
  it.effect("the small audit at seed 11 gives the recorded summary", () =>
    Effect.gen(function* () {
      const { summary } = yield* runAudit(resolveInline(smallAudit()), { concurrency: 4, command: "test" }).pipe(
        Effect.provide(Layer.merge(layerSqlite(":memory:"), Progress.silent))
      )
      yield* Effect.promise(() =>
        expect(JSON.stringify({ ...comparable(summary), version: "" }, null, 2)).toMatchFileSnapshot("__snapshots__/small-audit.summary.json")
      )
    })
  )
})
