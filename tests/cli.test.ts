import Database from "better-sqlite3"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runCli, startCli } from "./support/cli.js"
import { comparable, count, jsonl, writeAudit } from "./support/cli-audit.js"

const tmp = () => mkdtempSync(join(tmpdir(), "evalaudit-cli-"))

describe("evalaudit CLI", () => {
  it("rejects a malformed audit with exit code 2, names the field, and writes nothing", () => {
    const dir = tmp()
    const { audit } = writeAudit(dir, 1)
    const bad = { ...audit, evaluations: [{ ...audit.evaluations[0], decision: { rule: "point", threshold: 1.5 } }, audit.evaluations[1]] }
    const file = join(dir, "bad.json")
    writeFileSync(file, JSON.stringify(bad))
    const db = join(dir, "store.db")
    const out = join(dir, "out")
    const r = runCli(["run", file, "--db", db, "--out", out])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("bad.json")
    expect(r.stderr).toContain("evaluations[0].decision.threshold")
    expect(r.stderr).toMatch(/between 0 and 1/)
    expect(existsSync(db)).toBe(false)
    expect(existsSync(out)).toBe(false)
  })

  it("names the line and field of a bad dataset row", () => {
    const dir = tmp()
    const { file } = writeAudit(dir, 1)
    writeFileSync(join(dir, "ps.jsonl"), jsonl([{ id: "p0", input: "ok", matchingBehavior: "Yes", notMatchingBehavior: "No" }, { id: 7, input: "x" }]))
    const r = runCli(["run", file, "--db", join(dir, "store.db")])
    expect(r.status).toBe(2)
    // `file:line: field: expectation`, the form terminals and editors link to.
    expect(r.stderr).toMatch(/ps\.jsonl:2: id: Expected string, actual 7/)
  })

  it("refuses an unknown evaluation in a trigger, naming where", () => {
    const dir = tmp()
    const { audit } = writeAudit(dir, 1)
    const file = join(dir, "unknown.json")
    writeFileSync(file, JSON.stringify({ ...audit, policy: { id: "p", triggers: [{ id: "t", commitment: "c", conditions: [{ evaluation: "nope" }] }] } }))
    const r = runCli(["run", file, "--db", join(dir, "store.db")])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("policy.triggers[0].conditions[0].evaluation")
    expect(r.stderr).toContain('unknown evaluation "nope"')
  })

  it("a run killed part-way (SIGKILL) and resumed equals an uninterrupted run", async () => {
    const dir = tmp()
    const { file } = writeAudit(dir, 20)
    const reference = runCli(["run", file, "--db", join(dir, "reference.db"), "--out", join(dir, "out"), "--json", join(dir, "reference.json"), "--quiet"])
    expect(reference.status, reference.stderr).toBe(0)

    const db = join(dir, "killed.db")
    const child = startCli(["run", file, "--db", db, "--out", join(dir, "out"), "--run-id", "killed", "--quiet"])
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)))
    // Kill as soon as the first batch of cells is committed.
    while (count(db, "SELECT count(*) FROM cells") === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 10))
    child.kill("SIGKILL")
    expect(await exited).toBe("SIGKILL")
    const cellsAtKill = count(db, "SELECT count(*) FROM cells")
    const total = 2 * 5 * 20
    expect(cellsAtKill).toBeGreaterThan(0)
    expect(cellsAtKill).toBeLessThan(total)
    expect(count(db, "SELECT count(*) FROM runs WHERE finished_at IS NOT NULL")).toBe(0)

    const resumed = runCli(["run", file, "--db", db, "--out", join(dir, "out"), "--run-id", "killed", "--json", join(dir, "resumed.json"), "--quiet"])
    expect(resumed.status, resumed.stderr).toBe(0)
    expect(resumed.stdout).toMatch(/resumed run killed: \d+ cells already done/)
    expect(count(db, "SELECT count(*) FROM cells")).toBe(total)
    expect(comparable(join(dir, "resumed.json"))).toEqual(comparable(join(dir, "reference.json")))

    // The report command rebuilds the same summary from the store alone.
    const report = runCli(["report", "killed", "--db", db, "--out", join(dir, "out"), "--json", join(dir, "report.json")])
    expect(report.status, report.stderr).toBe(0)
    expect(comparable(join(dir, "report.json"))).toEqual(comparable(join(dir, "resumed.json")))
    expect(readFileSync(join(dir, "out", "killed", "memo.md"), "utf8")).toContain("# Audit memo: cli-test")

    const runs = runCli(["runs", "--db", db])
    expect(runs.stdout).toContain("killed")
    expect(runs.stdout).toContain("finished")
  })

  it("an unknown run id or a missing store is bad input (exit 2), and no store is created", () => {
    const dir = tmp()
    const missing = join(dir, "missing.db")
    const r = runCli(["report", "some-run", "--db", missing])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("no store at")
    expect(existsSync(missing)).toBe(false)
    const existing = join(dir, "store.db")
    new Database(existing).close()
    const unknown = runCli(["report", "nope", "--db", existing])
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain("no run nope")
  })

  it("graders: checks every grader of an audit, stores the results, and refuses a malformed replay", () => {
    const dir = tmp()
    const db = join(dir, "graders.db")
    const r = runCli(["graders", "audits/example.audit.ts", "--runs", "20", "--db", db])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain("2 graders checked, 0 with faults")
    expect(count(db, "SELECT count(*) FROM grader_checks WHERE passed = 1")).toBe(2)
    const bad = runCli(["graders", "audits/example.audit.ts", "--replay", "totalty:1:0", "--db", db])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain("--replay expects")
  })

  it("rejects a run id that is not an id (it names the output folder)", () => {
    const r = runCli(["run", "audits/example.audit.ts", "--run-id", "../escape"])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/letters, digits/)
  })
})
