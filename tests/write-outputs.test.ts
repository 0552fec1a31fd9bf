import { NodeContext } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { writeOutputs } from "../src/cli/write-outputs.js"
import { Progress } from "../src/audit/progress.js"
import { runAudit } from "../src/audit/run-audit.js"
import { layerSqlite } from "../src/store/audit-store.js"
import { resolveInline, smallAudit } from "./support/audits.js"

describe("writeOutputs", () => {
  it("writes the Markdown and HTML memos, the JSON summary and the mutation report, and the --json copy", async () => {
    const summary = await Effect.runPromise(
      runAudit(resolveInline(smallAudit({ replicates: 1, graderBattery: { numRuns: 0 } })), { concurrency: 4, command: "test", runId: "w1" }).pipe(
        Effect.map((r) => r.summary),
        Effect.provide(Layer.merge(layerSqlite(":memory:"), Progress.silent))
      )
    )
    const dir = mkdtempSync(join(tmpdir(), "evalaudit-outputs-"))
    const json = join(dir, "copies", "summary.json")
    const written = await Effect.runPromise(writeOutputs(summary, join(dir, "out"), json).pipe(Effect.provide(NodeContext.layer)))
    const runDir = join(dir, "out", "w1")
    expect(written).toEqual({
      memo: join(runDir, "memo.md"),
      html: join(runDir, "memo.html"),
      summary: join(runDir, "summary.json"),
      mutationReport: join(runDir, "mutation-report.json"),
      json
    })
    expect(readdirSync(runDir).sort()).toEqual(["memo.html", "memo.md", "mutation-report.json", "summary.json"])
    expect(readFileSync(written.memo, "utf8")).toContain("# Audit memo: small")
    expect(readFileSync(written.html, "utf8")).toMatch(/^<!DOCTYPE html>/)
    const mutation: unknown = JSON.parse(readFileSync(written.mutationReport, "utf8"))
    expect(mutation).toMatchObject({ schemaVersion: "1.0", config: { runId: "w1" } })
    expect(JSON.parse(readFileSync(written.summary, "utf8"))).toMatchObject({ format: "evalaudit.summary/2", runId: "w1" })
    expect(readFileSync(json, "utf8")).toBe(readFileSync(written.summary, "utf8"))
  })
})
