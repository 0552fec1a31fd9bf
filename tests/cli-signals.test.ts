import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { resumeCommand } from "../src/cli/execute-audit.js"
import { shellQuote } from "../src/cli/shell-quote.js"
import { runCli, startCli } from "./support/cli.js"
import { comparable, count, tableDigests, writeAudit } from "./support/cli-audit.js"

const tmp = () => mkdtempSync(join(tmpdir(), "evalaudit-signals-"))

/** Generous: a batch takes milliseconds; this bounds a loaded machine, not a fast one. */
const STOP_WITHIN_MS = 5000

describe("SIGINT and SIGTERM stop a run at the next batch, leave it incomplete and say how to resume", () => {
  const replicates = 40
  const total = 2 * 5 * replicates
  const dir = tmp()
  const { file } = writeAudit(dir, replicates)
  const out = join(dir, "out")
  // One uninterrupted reference for both signals.
  let referenced = false
  const reference = () => {
    if (referenced) return
    const r = runCli(["run", file, "--db", join(dir, "reference.db"), "--out", out, "--json", join(dir, "reference.json"), "--quiet"])
    expect(r.status, r.stderr).toBe(0)
    referenced = true
  }

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143]
  ] as const)("%s during the cells: exit %i within 5 s, the resume hint, and the resumed run equals the uninterrupted one", async (signal, code) => {
    reference()
    const db = join(dir, `${signal}.db`)
    const runId = `stopped-${signal}`
    const child = startCli(["run", file, "--db", db, "--out", out, "--run-id", runId, "--quiet"])
    let stderr = ""
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    const exited = new Promise<number | null>((resolve) => child.on("exit", (status) => resolve(status)))
    const closed = new Promise((resolve) => child.on("close", resolve))
    while (count(db, "SELECT count(*) FROM cells") === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 10))
    const signalled = performance.now()
    child.kill(signal)
    const status = await exited
    const took = performance.now() - signalled
    await closed

    expect(status, stderr).toBe(code)
    expect(took).toBeLessThan(STOP_WITHIN_MS)
    expect(stderr).toContain(`evalaudit: interrupted; resume with: evalaudit run ${file} --run-id ${runId} --db ${db} --out ${out}`)
    expect(count(db, "SELECT count(*) FROM runs WHERE finished_at IS NULL")).toBe(1)
    expect(count(db, "SELECT count(*) FROM cells")).toBeLessThan(total)
    expect(existsSync(join(out, runId, "memo.md"))).toBe(false)

    const json = join(dir, `${signal}.json`)
    const resumed = runCli(["run", file, "--db", db, "--out", out, "--run-id", runId, "--json", json, "--quiet"])
    expect(resumed.status, resumed.stderr).toBe(0)
    expect(comparable(json)).toEqual(comparable(join(dir, "reference.json")))
    expect(tableDigests(db)).toEqual(tableDigests(join(dir, "reference.db")))
    expect(readFileSync(join(out, runId, "memo.md"), "utf8")).toContain("# Audit memo: cli-test")
  })
})

describe("the resume hint is a command the shell reads back as given", () => {
  it("quotes a path with a space or a quote, and names --db and --out only when not the defaults", () => {
    expect(resumeCommand("audits/a.yaml", "r1", { db: "out/evalaudit.db", out: "out" })).toBe("evalaudit run audits/a.yaml --run-id r1")
    expect(resumeCommand("my audits/it's.yaml", "r1", { db: "x y.db", out: "out" })).toBe(
      `evalaudit run 'my audits/it'\\''s.yaml' --run-id r1 --db 'x y.db'`
    )
    const word = "a b'c$d"
    const echoed = spawnSync("sh", ["-c", `printf %s ${shellQuote(word)}`], { encoding: "utf8" })
    expect(echoed.stdout).toBe(word)
  })
})
