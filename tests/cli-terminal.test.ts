import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import type { AuditInput } from "../src/domain/audit.js"
import { smallAudit } from "./support/audits.js"
import { runCli, type CliResult } from "./support/cli.js"

/**
 * Text from an audit file reaches the terminal through every command: a crafted commitment
 * (erase the line, carriage return, bell, an OSC title and hyperlink, a green "passed") must
 * arrive as visible text, never as control characters the terminal obeys.
 */
const ATTACK = "ASL-3\u001b[2K\r\u001b[32mall evaluations passed\u0007\u001b]0;owned\u0007\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\\u009b2J"
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

const clean = (r: CliResult) => {
  expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL)
}

const hostileAudit = (name: string): AuditInput => {
  const base = smallAudit({ replicates: 1, manipulationCheck: { samples: 200 }, graderBattery: { numRuns: 5 } })
  const triggers = (base.policy?.triggers ?? []).map((t) => ({ ...t, commitment: ATTACK }))
  return {
    ...base,
    name,
    description: ATTACK,
    policy: { id: "policy", triggers },
    organisms: base.organisms.slice(0, 4)
  }
}

let dir = ""
let db = ""
let audit = ""
let runA = ""
let runB = ""

const runId = (r: CliResult) => /run (run-[\w-]+): \d+ cells/.exec(r.stdout)?.[1] ?? ""

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "evalaudit-terminal-"))
  db = join(dir, "store.db")
  audit = join(dir, "hostile.json")
  writeFileSync(audit, JSON.stringify(hostileAudit(`hostile${ATTACK}`)))
  const other = join(dir, "other.json")
  writeFileSync(other, JSON.stringify(hostileAudit(`other${ATTACK}`)))
  const a = runCli(["run", audit, "--db", db, "--out", join(dir, "out"), "--quiet"])
  const b = runCli(["run", other, "--db", db, "--out", join(dir, "out"), "--quiet", "--seed", "2"])
  runA = runId(a)
  runB = runId(b)
  expect(runA, a.stderr).not.toBe("")
  expect(runB, b.stderr).not.toBe("")
  clean(a)
  clean(b)
  // The attack reached the output, shown as text.
  expect(a.stdout).toContain("\\u{1b}[2K\\u{d}\\u{1b}[32mall evaluations passed")
})

describe("audit text on the terminal, command by command", () => {
  it("report", () => {
    const r = runCli(["report", runA, "--db", db, "--out", join(dir, "out")])
    expect(r.status, r.stderr).toBe(0)
    clean(r)
    expect(r.stdout).toContain("hostileASL-3\\u{1b}[2K")
  })

  it("runs", () => {
    const r = runCli(["runs", "--db", db])
    expect(r.status, r.stderr).toBe(0)
    clean(r)
    expect(r.stdout).toContain("hostileASL-3\\u{1b}[2K")
  })

  it("diff, text and markdown", () => {
    for (const format of ["text", "markdown"]) {
      const r = runCli(["diff", runA, runB, "--db", db, "--format", format])
      expect(r.status, r.stderr).toBe(0)
      clean(r)
      expect(r.stdout).toContain("\\u{1b}")
    }
  })

  it("check, on a stored run and on the audit file", () => {
    const stored = runCli(["check", runA, "--db", db, "--min-sensitivity", "0.1"])
    clean(stored)
    const fresh = runCli(["check", audit, "--db", db, "--out", join(dir, "out"), "--quiet", "--min-sensitivity", "0.1"])
    clean(fresh)
    expect(fresh.stdout).toContain("\\u{1b}[2K")
  })

  it("graders and search", () => {
    const graders = runCli(["graders", audit, "--runs", "5", "--db", join(dir, "graders.db")])
    clean(graders)
    const search = runCli(["search", audit, "--runs", "5", "--samples", "0"])
    clean(search)
  })

  it("import: a skipped record's text", () => {
    const data = join(dir, "hostile.jsonl")
    writeFileSync(data, `${JSON.stringify({ id: "ok", input: "fine", target: "A", choices: ["a", "b"] })}\n${JSON.stringify({ id: `bad${ATTACK}`, input: 7 })}\n`)
    const r = runCli(["import", data, "--format", "jsonl", "--skip-bad-records"])
    expect(r.status, r.stderr).toBe(0)
    clean(r)
  })
})

describe("error messages", () => {
  it("show an unknown key's control characters and cut a 5 MB value, keeping every problem", () => {
    const file = join(dir, "bad.json")
    const huge = "x".repeat(5_000_000)
    writeFileSync(file, JSON.stringify({ ...hostileAudit("bad"), [`unknown${ATTACK}`]: 1, seed: huge }))
    const r = runCli(["run", file, "--db", join(dir, "bad.db")])
    expect(r.status).toBe(2)
    clean(r)
    expect(r.stderr).toMatch(/^evalaudit: /)
    expect(r.stderr).toContain("unknownASL-3\\u{1b}[2K")
    expect(r.stderr.length).toBeLessThan(4000)
    expect(r.stderr).toMatch(/\.\.\. \(\d+ characters\)/)
  })

  it("a run id with control characters is shown, not obeyed", () => {
    const r = runCli(["report", `nope${ATTACK}`, "--db", db])
    expect(r.status).toBe(2)
    clean(r)
  })
})
