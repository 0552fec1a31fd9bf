import { describe, expect, it } from "vitest"
import { runCli } from "./support/cli.js"

describe("evalaudit search", () => {
  it("exits 1 with the escaping organism and its replay when one escapes the example policy, and the replay reproduces it", () => {
    const first = runCli(["search", "audits/example.audit.ts", "--runs", "30", "--samples", "0"])
    expect(first.status, first.stderr).toBe(1)
    const line = first.stdout.split("\n").find((l) => l.startsWith("escaping organism:")) ?? ""
    const path = /path: "([0-9:]+)"/.exec(line)?.[1]
    expect(path).toBeDefined()
    const replayed = runCli(["search", "audits/example.audit.ts", "--runs", "30", "--samples", "0", "--replay", path ?? ""])
    // The replay starts from the shrunk counterexample: same organism and escape, without the shrinking.
    const organism = (text: string) => text.split("; after")[0]
    expect(organism(replayed.stdout.split("\n")[0] ?? "")).toBe(organism(line))
  })

  it("refuses a budget below one run", () => {
    expect(runCli(["search", "audits/example.audit.ts", "--runs", "0"]).status).toBe(2)
  })
})
