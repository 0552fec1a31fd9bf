import { Either } from "effect"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { diffRuns } from "../src/diff/run-diff.js"
import { decodeSummaryFile } from "../src/diff/summary-file.js"
import { runCli } from "./support/cli.js"

/**
 * The example audit's summary as written by the last /1 version and by /2, from the same spec
 * and seed (trimmed to what a diff reads): no subject's pooled rates changed, only the format.
 */
const V1 = "tests/fixtures/example-summary-v1.json"
const V2 = "tests/fixtures/example-summary-v2.json"
const decoded = (path: string) => {
  const result = decodeSummaryFile(readFileSync(path, "utf8"))
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

describe("diff reads summary files of both format versions", () => {
  it("decodes /1 and /2 and compares them", () => {
    const a = decoded(V1)
    const b = decoded(V2)
    expect([a.format, b.format]).toEqual(["evalaudit.summary/1", "evalaudit.summary/2"])
    const diff = diffRuns({ summary: a, audit: null }, { summary: b, audit: null })
    expect(diff.settings).toEqual([{ setting: "format", before: "evalaudit.summary/1", after: "evalaudit.summary/2" }])
    expect(diff.definitions).toEqual([])
    expect(diff.subjects.length).toBe(11)
    expect(diff.subjects.every((s) => s.sensitivity.change === "same" && s.specificity.change === "same")).toBe(true)
    expect(diff.policyEscapes).toEqual({ new: [], resolved: [] })
  })

  it("refuses a file that is not a summary, naming it", () => {
    expect(Either.isLeft(decodeSummaryFile(JSON.stringify({ format: "evalaudit.summary/3" })))).toBe(true)
  })

  it("works from the command line, and a bad file exits 2", () => {
    const ok = runCli(["diff", V1, V2])
    expect(ok.status).toBe(0)
    expect(ok.stdout).toContain("evalaudit.summary/1")
    const bad = runCli(["diff", V1, "package.json"])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain("package.json: expected an evalaudit summary")
  })
})
