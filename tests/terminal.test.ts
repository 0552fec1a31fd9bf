import { spawn } from "node:child_process"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { forTerminal } from "../src/cli/terminal.js"

describe("text shown on a terminal", () => {
  it("shows ESC, BEL, CR and bidi controls as visible escapes, and keeps newlines and tabs", () => {
    const hostile = "ok\u001b[2K\r\u0007[pass] all evaluations passed\u202e\tend\nnext"
    const shown = forTerminal(hostile)
    expect(shown).toBe("ok\\u{1b}[2K\\u{d}\\u{7}[pass] all evaluations passed\\u{202e}\tend\nnext")
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
  })

  it("cuts a long value and says how much was cut", () => {
    const shown = forTerminal("x".repeat(5_000_000), 100)
    expect(shown).toBe(`${"x".repeat(100)}... (5000000 characters)`)
  })
})

describe("the CLI on a closed pipe", () => {
  it("exits 0 with no stack trace when its reader stops early (schema | head)", async () => {
    const child = spawn(process.execPath, [join(import.meta.dirname, "..", "bin", "evalaudit.js"), "schema"], { stdio: ["ignore", "pipe", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    // Read one chunk, then close our end, as `head` does.
    child.stdout.once("data", () => child.stdout.destroy())
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)))
    expect(stderr).not.toMatch(/EPIPE|at .*\.js/)
    expect(code).toBe(0)
  })
})

describe("the run's terminal summary", () => {
  it("shows a commitment's escape sequence as text, so it cannot erase the [critical] line", async () => {
    const { consoleSummary } = await import("../src/cli/console-table.js")
    const { pinnedSummary } = await import("./support/memo-summary.js")
    const s = pinnedSummary()
    const hostile = "ASL-3\u001b[2K\r\u001b[32mall evaluations passed"
    const findings = s.findings.map((f) => (f.figures._tag === "TriggerMiss" ? { ...f, figures: { ...f.figures, commitment: hostile } } : f))
    const text = consoleSummary({ ...s, audit: "a\u0007b", findings })
    expect(text).toContain("\\u{1b}[2K\\u{d}\\u{1b}[32mall evaluations passed")
    expect(text).toContain("a\\u{7}b")
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/)
  })
})
