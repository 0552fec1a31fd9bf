import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { describe, expect, it } from "vitest"
import { smallAudit } from "./support/audits.js"
import { runCli } from "./support/cli.js"

const tmp = () => mkdtempSync(join(tmpdir(), "evalaudit-wording-"))
const root = join(import.meta.dirname, "..")

/** "1 replicates", "1 cells", "of 1 runs": a count of one followed by a plural noun. */
const ONE_PLURAL = /\b1 (replicates|cells|graders|runs|samples|records|organisms|errors|epochs)\b/

describe("wording of a one-replicate run", () => {
  it("counts in the singular, heads the SE column without '(clustered)' when nothing clusters, and gives an absolute, quoted reproduce command", () => {
    const dir = join(tmp(), "a folder with spaces")
    const audit = join(dir, "audit's file.json")
    const input = smallAudit({ replicates: 1, manipulationCheck: { samples: 200 }, graderBattery: { numRuns: 5 } })
    runCli(["init", dir]) // makes the folder
    writeFileSync(audit, JSON.stringify({ ...input, organisms: input.organisms.slice(0, 3) }))
    const out = join(dir, "out")
    const db = join(dir, "store.db")
    // Started from another folder, with a relative path: the memo must still say where the audit is.
    const relativePath = relative(root, audit)
    expect(relativePath.startsWith("..")).toBe(true)
    const run = runCli(["run", relativePath, "--db", db, "--out", out, "--quiet"])
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).not.toMatch(ONE_PLURAL)
    expect(run.stdout).toMatch(/ · 1 replicate$/m)
    const runs = runCli(["runs", "--db", db])
    expect(runs.stdout).not.toMatch(ONE_PLURAL)
    expect(runs.stdout).toContain(" 1 replicate ")
    const runId = /run (run-[\w-]+): \d+ cells/.exec(run.stdout)?.[1] ?? ""
    const memo = readFileSync(join(out, runId, "memo.md"), "utf8")
    expect(memo).not.toMatch(ONE_PLURAL)
    expect(memo).toContain("SE per cell")
    expect(memo).not.toContain("SE per cell (clustered)")
    // Absolute and quoted for the shell (the path has spaces and a quote).
    expect(memo).toContain(`evalaudit run '${audit.replace(/'/g, `'\\''`)}' --seed 11 --replicates 1`)
    const graders = runCli(["graders", audit, "--runs", "5", "--db", db])
    expect(graders.stdout).not.toMatch(ONE_PLURAL)
  })
})

describe("an incomplete run", () => {
  it("gives no escape verdict when cells errored, and says how many", () => {
    const dir = tmp()
    // Every prompted cell misses the (empty) response cache: the run ends incomplete.
    const run = runCli(["run", join(root, "audits", "prompted.audit.yaml"), "--cache-only", "--replicates", "1", "--db", join(dir, "s.db"), "--out", join(dir, "out"), "--quiet"])
    expect(run.status).toBe(1)
    expect(run.stdout).toContain("INCOMPLETE")
    expect(run.stdout).toMatch(/Policy escapes: no verdict; the run is incomplete \(\d+ of \d+ cells errored\)/)
    expect(run.stdout).not.toMatch(/Policy escapes: none/)
    expect(run.stdout).not.toMatch(/coverage gaps: none/)
    const runId = /run (run-[\w-]+): \d+ cells/.exec(run.stdout)?.[1] ?? ""
    const memo = readFileSync(join(dir, "out", runId, "memo.md"), "utf8")
    expect(memo).toMatch(/Policy escapes: no verdict; the run is incomplete/)
  })
})
