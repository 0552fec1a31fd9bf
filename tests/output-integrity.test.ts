import { FileSystem } from "@effect/platform"
import { SystemError } from "@effect/platform/Error"
import { NodeContext } from "@effect/platform-node"
import { Effect, Layer, Option } from "effect"
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Progress } from "../src/audit/progress.js"
import { runAudit, runAuditPublishing } from "../src/audit/run-audit.js"
import { writeOutputs } from "../src/cli/write-outputs.js"
import type { Summary } from "../src/domain/summary.js"
import { formatDiffMarkdown } from "../src/diff/format-diff.js"
import type { RunDiff } from "../src/diff/run-diff.js"
import { AuditStore, layerSqlite } from "../src/store/audit-store.js"
import { resolveInline, smallAudit } from "./support/audits.js"
import { PAYLOADS } from "./support/hostile-summary.js"

const tmp = () => mkdtempSync(join(tmpdir(), "evalaudit-integrity-"))
const audit = resolveInline(smallAudit({ replicates: 1, graderBattery: { numRuns: 0 } }))

/** Markup that got through: a tag, a link, or a heading a hostile value begins. */
const prose = (markdown: string) => markdown.replace(/(`+)[\s\S]*?\1/g, "")

describe("the diff's Markdown escapes every text from the runs", () => {
  const hostile = PAYLOADS.map((p) => `${p} | cell | \n# heading`).join(" ")
  const proportion = { k: 1, n: 2, estimate: 0.5, lower: 0.1, upper: 0.9 }
  const diff: RunDiff = {
    a: { runId: "a", audit: hostile, source: hostile, specHash: "sha256:a" },
    b: { runId: "b", audit: "fine", source: "fine.yaml", specHash: "sha256:b" },
    settings: [{ setting: "seed", before: hostile, after: "2" }],
    definitions: [{ kind: "evaluation", id: "bio", change: "changed", fields: [hostile], before: "x", after: "y" }],
    subjects: [{ kind: "evaluation", id: "bio", sensitivity: { before: proportion, after: proportion, change: "worsened" }, specificity: { before: proportion, after: proportion, change: "same" } }],
    policyEscapes: { new: [], resolved: [] },
    escapes: { new: [], resolved: [] },
    added: [],
    removed: [],
    results: [{ kind: "comparison", id: "gap", before: hostile, after: "x" }],
    sameAudit: false,
    sameSpec: false,
    changes: 2,
    resultChanges: 1
  }

  it("no tag, link, heading or table cell breaks out", () => {
    const markdown = formatDiffMarkdown(diff)
    expect(prose(markdown)).not.toMatch(/(?<!\\)<(script|img|iframe|svg|a|link|style|b)\b/i)
    expect(prose(markdown)).not.toMatch(/(?<!\\)\]\(/)
    expect(markdown.split("\n").filter((l) => /^#{1,6} /.test(l)).every((l) => /^#{3,4} /.test(l) && !l.includes("heading"))).toBe(true)
    const pipes = (line: string) => (line.match(/(?<!\\)\|/g) ?? []).length
    let header = -1
    for (const line of markdown.split("\n")) {
      if (!line.startsWith("| ")) {
        header = -1
        continue
      }
      if (header < 0) header = pipes(line)
      else expect(pipes(line), line).toBe(header)
    }
    // The emphasis the diff means is kept.
    expect(markdown).toContain("**worsened**")
  })
})

/**
 * The node file system with a disk that fills up after `budget` bytes: a write that does not
 * fit writes what fits, then fails with ENOSPC, as a real full disk does.
 */
const fullDiskAfter = (budget: number) =>
  Layer.effect(
    FileSystem.FileSystem,
    Effect.map(FileSystem.FileSystem, (real) => {
      let left = budget
      const noSpace = (method: string, path: string) => new SystemError({ reason: "Unknown", module: "FileSystem", method, pathOrDescriptor: path, description: "ENOSPC: no space left on device" })
      const cut = (bytes: Uint8Array) => {
        const fits = bytes.subarray(0, Math.max(0, left))
        left -= fits.length
        return fits
      }
      const writeFile: FileSystem.FileSystem["writeFile"] = (path, data, options) => {
        const fits = cut(data)
        return Effect.zipRight(real.writeFile(path, fits, options), fits.length < data.length ? Effect.fail(noSpace("writeFile", path)) : Effect.void)
      }
      const open: FileSystem.FileSystem["open"] = (path, options) =>
        Effect.map(real.open(path, options), (file): FileSystem.File =>
          // The file as opened (its other members live on its prototype), with a disk that fills up.
          Object.assign(Object.create(file), {
            writeAll: (data: Uint8Array) => {
              const fits = cut(data)
              return Effect.zipRight(file.writeAll(fits), fits.length < data.length ? Effect.fail(noSpace("writeAll", path)) : Effect.void)
            }
          })
        )
      return {
        ...real,
        writeFile,
        writeFileString: (path, data, options) => writeFile(path, new TextEncoder().encode(data), options),
        open
      }
    })
  ).pipe(Layer.provideMerge(NodeContext.layer))

const summaryOf = (runId: string) =>
  runAudit(audit, { concurrency: 4, command: "test", runId }).pipe(
    Effect.map((r) => r.summary),
    Effect.provide(Layer.merge(layerSqlite(":memory:"), Progress.silent))
  )

describe("outputs are written whole or not at all", () => {
  it("a disk that fills up while writing leaves the earlier outputs intact, nothing truncated and no temporary file", async () => {
    const summary = await Effect.runPromise(summaryOf("full"))
    const out = join(tmp(), "out")
    await Effect.runPromise(writeOutputs(summary, out, undefined).pipe(Effect.provide(NodeContext.layer)))
    const dir = join(out, "full")
    const before = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]))
    const memoSize = Buffer.byteLength(before["memo.md"] ?? "")
    for (const budget of [0, Math.floor(memoSize / 2), memoSize + 1000]) {
      const changed: Summary = { ...summary, audit: `${summary.audit} (again)` }
      const result = await Effect.runPromise(Effect.either(writeOutputs(changed, out, undefined).pipe(Effect.provide(fullDiskAfter(budget)))))
      expect(result._tag, `budget ${budget}`).toBe("Left")
      // Every file is either as it was or complete in its new form; none is cut short.
      for (const f of readdirSync(dir)) {
        const text = readFileSync(join(dir, f), "utf8")
        expect(f.startsWith("."), `temporary file ${f} left behind`).toBe(false)
        if (text !== before[f]) expect(text.endsWith("\n") && text.includes("(again)"), `${f} after budget ${budget}`).toBe(true)
      }
    }
  })

  it("a run whose outputs cannot be written is not marked finished", async () => {
    const file = join(tmp(), "store.db")
    const failed = await Effect.runPromise(
      Effect.either(runAuditPublishing(audit, { concurrency: 4, command: "test", runId: "unpublished" }, () => Effect.fail("disk full" as const))).pipe(
        Effect.provide(Layer.merge(layerSqlite(file), Progress.silent))
      )
    )
    expect(failed._tag).toBe("Left")
    const stored = await Effect.runPromise(Effect.flatMap(AuditStore, (s) => s.findRun("unpublished")).pipe(Effect.provide(layerSqlite(file))))
    expect(Option.map(stored, (r) => r.finishedAt)).toEqual(Option.some(null))
    // Resumed with outputs that can be written, it finishes, and its summary says so.
    const resumed = await Effect.runPromise(
      runAuditPublishing(audit, { concurrency: 4, command: "test", runId: "unpublished" }, (summary) => Effect.succeed(summary.finishedAt)).pipe(
        Effect.provide(Layer.merge(layerSqlite(file), Progress.silent))
      )
    )
    expect(resumed.published).not.toBeNull()
    expect(resumed.cellsRun).toBe(0)
    const finished = await Effect.runPromise(Effect.flatMap(AuditStore, (s) => s.findRun("unpublished")).pipe(Effect.provide(layerSqlite(file))))
    expect(Option.map(finished, (r) => r.finishedAt)).toEqual(Option.some(resumed.published))
    expect(existsSync(file)).toBe(true)
  })
})
