import Database from "better-sqlite3"
import type { ChildProcess } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { startCli } from "./support/cli.js"
import { writeAudit } from "./support/cli-audit.js"

const tmp = () => mkdtempSync(join(tmpdir(), "evalaudit-concurrent-"))

interface Finished {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

const finished = (child: ChildProcess): Promise<Finished> =>
  new Promise((resolve) => {
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (c: Buffer) => (stdout += c.toString("utf8")))
    child.stderr?.on("data", (c: Buffer) => (stderr += c.toString("utf8")))
    child.on("close", (status) => resolve({ status, stdout, stderr }))
  })

/** Starts every command line at once and waits for all. */
const together = (commands: ReadonlyArray<ReadonlyArray<string>>) => Promise.all(commands.map((args) => finished(startCli(args))))

/** The cells a `run` says it measured: "run X: N cells" or "resumed run X: K cells already done, N run". */
const cellsRun = (stdout: string): number => {
  const fresh = /^run \S+: (\d+) cells$/m.exec(stdout)
  const resumed = /^resumed run \S+: \d+ cells already done, (\d+) run$/m.exec(stdout)
  return Number(fresh?.[1] ?? resumed?.[1] ?? Number.NaN)
}

const ROUNDS = 5

describe("two processes on one store at once", () => {
  it(`starting on a fresh store both succeed, each with its own run (${ROUNDS} rounds)`, async () => {
    const dir = tmp()
    const { file } = writeAudit(dir, 1)
    for (let round = 0; round < ROUNDS; round++) {
      const db = join(dir, `fresh-${round}.db`)
      const args = ["run", file, "--db", db, "--out", join(dir, "out"), "--quiet"]
      const results = await together([args, args])
      for (const r of results) expect(r.status, `round ${round}: ${r.stderr}`).toBe(0)
      const conn = new Database(db, { readonly: true })
      expect(conn.prepare("SELECT count(DISTINCT id) FROM runs WHERE finished_at IS NOT NULL").pluck().get()).toBe(2)
      expect(conn.pragma("integrity_check", { simple: true })).toBe("ok")
      conn.close()
    }
  })

  it("on one --run-id, no cell is measured twice: the second is refused while the first holds the run, or resumes after it", async () => {
    const dir = tmp()
    const replicates = 20
    const { file } = writeAudit(dir, replicates)
    const total = 2 * 5 * replicates
    for (let round = 0; round < 3; round++) {
      const db = join(dir, `same-${round}.db`)
      const args = ["run", file, "--db", db, "--out", join(dir, "out"), "--run-id", "same", "--quiet"]
      const results = await together([args, args])
      const measured = results.filter((r) => r.status === 0)
      const refused = results.filter((r) => r.status !== 0)
      expect(measured.length, results.map((r) => r.stderr).join("\n")).toBeGreaterThanOrEqual(1)
      for (const r of refused) {
        expect(r.status).toBe(2)
        expect(r.stderr).toContain("run same is being measured by another process")
      }
      expect(measured.reduce((sum, r) => sum + cellsRun(r.stdout), 0)).toBe(total)
    }
  })
})
