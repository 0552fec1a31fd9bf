/**
 * A representative few hostile inputs through the CLI as it ships (issue 16): exit 2, one
 * line `evalaudit: <file>...: <place>: <expected>`, no stack trace, nothing written (no store,
 * no output folder). tests/hostile-input.test.ts covers every case in process.
 */
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs"
import { execFileSync } from "node:child_process"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runCli } from "./support/cli.js"

const mcq = { id: "s", input: "?", choices: ["a", "b"], target: "A" }
const audit = (extra: object = {}, dataset: object = { samples: [mcq] }) =>
  JSON.stringify({
    name: "a",
    evaluations: [{ id: "e", measures: { kind: "capability", domain: "bio" }, dataset, grader: { type: "choice" }, decision: { rule: "point", threshold: 0.5 } }],
    organisms: [{ id: "o" }],
    ...extra
  })

/** Runs `evalaudit run` in a fresh folder and checks the bad-input contract; returns the message line. */
const refused = (setup: (dir: string) => { readonly audit: string; readonly db?: string }): string => {
  const dir = mkdtempSync(join(tmpdir(), "evalaudit-hostile-cli-"))
  const { audit: file, db = join(dir, "store", "evalaudit.db") } = setup(dir)
  const out = join(dir, "out")
  const r = runCli(["run", file, "--db", db, "--out", out, "--quiet"])
  expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: "" })
  const lines = r.stderr.trimEnd().split("\n")
  expect(lines).toHaveLength(1)
  expect(r.stderr).not.toMatch(/internal error|\n\s+at |Error:/)
  expect(existsSync(db)).toBe(false)
  expect(existsSync(out)).toBe(false)
  return lines[0] ?? ""
}

describe("hostile input through the CLI", () => {
  it("a symlink loop as the audit path", () => {
    const line = refused((dir) => {
      symlinkSync(join(dir, "b.json"), join(dir, "a.json"))
      symlinkSync(join(dir, "a.json"), join(dir, "b.json"))
      return { audit: join(dir, "a.json") }
    })
    expect(line).toMatch(/^evalaudit: .*a\.json: too many levels of symbolic links/)
  })

  it("--db under a regular file (ENOTDIR)", () => {
    const line = refused((dir) => {
      writeFileSync(join(dir, "plain"), "x")
      return { audit: (writeFileSync(join(dir, "a.json"), audit()), join(dir, "a.json")), db: join(dir, "plain", "x.db") }
    })
    expect(line).toMatch(/^evalaudit: --db .*plain\/x\.db: a part of the path is a file, not a directory$/)
  })

  it("a YAML alias bomb", () => {
    const rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for (const [i, name] of ["b", "c", "d", "e", "f", "g", "h"].entries()) rows.push(`${name}: &${name} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`)
    const line = refused((dir) => (writeFileSync(join(dir, "bomb.yaml"), rows.join("\n")), { audit: join(dir, "bomb.yaml") }))
    expect(line).toMatch(/^evalaudit: .*bomb\.yaml: invalid YAML: aliases expand more than 100 times/)
  })

  it("an ungradable inline sample (matchingBehavior: \"\")", () => {
    const value = JSON.parse(audit())
    value.evaluations[0] = { ...value.evaluations[0], measures: { kind: "propensity", behaviour: "b" }, grader: { type: "behaviour-match" }, dataset: { samples: [{ id: "s", input: "?", matchingBehavior: "", notMatchingBehavior: "No" }] } }
    const line = refused((dir) => (writeFileSync(join(dir, "a.json"), JSON.stringify(value, null, 2)), { audit: join(dir, "a.json") }))
    expect(line).toMatch(/^evalaudit: .*a\.json:\d+: evaluations\[0\]\.dataset\.samples\[0\]: sample "s": matchingBehavior is empty/)
  })

  it("a FIFO as a dataset, and a run over the work budget", () => {
    const fifo = refused((dir) => {
      execFileSync("mkfifo", [join(dir, "d.jsonl")])
      writeFileSync(join(dir, "a.json"), audit({}, { path: "d.jsonl" }))
      return { audit: join(dir, "a.json") }
    })
    expect(fifo).toMatch(/^evalaudit: .*a\.json:1: evaluations\[0\]\.dataset\.path: not a regular file \(a named pipe\): d\.jsonl$/)
    const large = refused((dir) => {
      writeFileSync(join(dir, "a.json"), audit({ replicates: 1000, manipulationCheck: { samples: 1_000_000 }, organisms: Array.from({ length: 60 }, (_, i) => ({ id: `o${i}`, layers: [{ _tag: "rare-defector" }] })) }))
      return { audit: join(dir, "a.json") }
    })
    expect(large).toMatch(/over the budget of 100,000,000; .* or pass --allow-large$/)
  })
})
