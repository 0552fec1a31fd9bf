import { spawnSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runCli } from "./support/cli.js"

const root = join(import.meta.dirname, "..")
const bin = join(root, "bin", "evalaudit.js")
const ANSI = /\u001b\[/

/** The CLI with a chosen environment (the test runner's own NO_COLOR or FORCE_COLOR must not leak in). */
const withEnv = (args: ReadonlyArray<string>, env: Record<string, string>) => {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "NO_COLOR" && k !== "FORCE_COLOR"))
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", env: { ...base, ...env } })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const COMMANDS = ["run", "report", "runs", "check", "diff", "init", "graders", "import", "schema", "search"]

describe("help", () => {
  it("has no escape codes when piped or with NO_COLOR, and bold headings with FORCE_COLOR", () => {
    for (const args of [["--help"], ["run", "--help"], []]) {
      const piped = withEnv(args, {})
      expect(piped.status).toBe(0)
      expect(piped.stdout).not.toMatch(ANSI)
      expect(withEnv(args, { NO_COLOR: "1" }).stdout).not.toMatch(ANSI)
      expect(withEnv(args, { FORCE_COLOR: "1" }).stdout).toContain("\u001b[1mUsage:\u001b[22m")
      expect(withEnv(args, { FORCE_COLOR: "0" }).stdout).not.toMatch(ANSI)
    }
  })

  it("wraps every line to 80 columns when piped, for the program and every command", () => {
    for (const args of [["--help"], ...COMMANDS.map((c) => [c, "--help"])]) {
      const r = runCli(args)
      expect(r.status, args.join(" ")).toBe(0)
      const widest = Math.max(...r.stdout.split("\n").map((l) => l.length))
      expect(widest, `${args.join(" ")}:\n${r.stdout}`).toBeLessThanOrEqual(80)
    }
  })

  it("lists every command, brackets optional and repeatable flags, shows defaults and every audit file type", () => {
    const top = runCli(["--help"]).stdout
    for (const c of COMMANDS) expect(top).toMatch(new RegExp(`^  ${c} `, "m"))
    const check = runCli(["check", "--help"]).stdout
    expect(check).toContain("[--min-sensitivity text]...")
    expect(check).toContain("[--on bound|point]")
    const run = runCli(["run", "--help"]).stdout
    expect(run).toMatch(/evalaudit run <audit> \[--db file\]/)
    expect(run).toMatch(/cells measured at once \(default: 8\)/)
    expect(run).toMatch(/\(default:\s+out\/evalaudit\.db\)/)
    for (const ext of [".ts", ".js", ".yaml", ".yml", ".json"]) expect(run).toContain(ext)
    expect(runCli(["init", "--help"]).stdout).toMatch(/\(default: yaml\)/)
    expect(runCli(["diff", "--help"]).stdout).toMatch(/\(default: text\)/)
  })

  it("does not offer @effect/cli's wizard, and refuses it", () => {
    for (const args of [["--help"], ["run", "--help"]]) expect(runCli(args).stdout).not.toContain("wizard")
    const r = runCli(["run", "--wizard"])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^evalaudit: --wizard is not supported/)
  })

  it("prints the version", () => {
    const r = runCli(["--version"])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/)
  })
})

describe("command-line errors", () => {
  const cases: ReadonlyArray<readonly [ReadonlyArray<string>, RegExp]> = [
    [["run", "--replicates", "abc", "a.yaml"], /^evalaudit: run: --replicates expects an integer, got 'abc'/],
    [["run", "a.yaml", "--concurrency", "1.5"], /^evalaudit: run: --concurrency expects an integer, got '1.5'/],
    [["check", "r", "--on", "maybe"], /^evalaudit: check: --on expects one of bound, point, got 'maybe'/],
    [["run", "--bogus", "a.yaml"], /^evalaudit: run: unknown option --bogus/],
    [["run", "a.yaml", "--concurrency"], /^evalaudit: run: --concurrency needs a value/],
    [["run"], /^evalaudit: run: missing argument <audit>/],
    [["frobnicate"], /^evalaudit: unknown command 'frobnicate'/]
  ]
  it.each(cases)("%j: one line naming the flag, exit 2", (args, expected) => {
    const r = runCli(args)
    expect(r.status).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).toMatch(expected)
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1)
    expect(r.stderr).not.toMatch(ANSI)
  })
})

describe("failure messages", () => {
  it("a file-system failure is one plain sentence: no error class, no stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "evalaudit-messages-"))
    const file = join(dir, "a-file")
    writeFileSync(file, "")
    const init = runCli(["init", join(dir, "starter")])
    expect(init.status, init.stderr).toBe(0)
    const r = runCli(["run", join(dir, "starter", "audit.yaml"), "--db", join(dir, "s.db"), "--out", join(file, "out"), "--quiet"])
    expect(r.status).not.toBe(0)
    expect(r.stderr).toMatch(/^evalaudit: --out .*a-file\/out: cannot write there \(.*a-file is not a directory\)\n$/)
    expect(r.stderr).not.toMatch(/SystemError|StoreError|internal error|\n\s+at /)
  })

  it("a failed grader battery is counted in words, with no class name", () => {
    const dir = mkdtempSync(join(tmpdir(), "evalaudit-messages-"))
    const audit = join(dir, "faulty.json")
    // "includes A" credits an answer that names every option: the battery's hedging property fails it.
    const sample = { id: "s1", input: "Q? A) x B) y", choices: ["x", "y"], target: "A" }
    const evaluation = { id: "e", measures: { kind: "capability", domain: "bio" }, dataset: { samples: [sample] }, grader: { type: "includes", value: "A" }, decision: { rule: "point", threshold: 0.5 } }
    writeFileSync(audit, JSON.stringify({ name: "faulty", evaluations: [evaluation], organisms: [{ id: "c", control: true }] }))
    const r = runCli(["graders", audit, "--runs", "20", "--db", join(dir, "g.db")])
    expect(r.status).toBe(1)
    expect(r.stdout).toContain("1 grader checked, 1 with faults")
    expect(r.stderr).toBe("evalaudit: 1 of 1 grader fails the battery\n")
  })
})
