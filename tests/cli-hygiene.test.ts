import Database from "better-sqlite3"
import { spawn, spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runCli } from "./support/cli.js"
import { writeAudit } from "./support/cli-audit.js"

const root = join(import.meta.dirname, "..")
const bin = join(root, "bin", "evalaudit.js")
const tmp = () => mkdtempSync(join(tmpdir(), "evalaudit-hygiene-"))
const digest = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex")
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`

/** Runs `evalaudit <args>` in bash with `redirect` after it; returns evalaudit's own exit status and what bash printed. */
const shell = (args: ReadonlyArray<string>, redirect: string) => {
  const line = `node ${quote(bin)} ${args.map(quote).join(" ")} ${redirect}; echo "status=\${PIPESTATUS[0]}"`
  const r = spawnSync("bash", ["-c", line], { cwd: root, encoding: "utf8" })
  return { stdout: r.stdout, stderr: r.stderr, status: Number(/status=(\d+)/.exec(r.stdout)?.[1]) }
}

describe("a closed pipe ends the command quietly", () => {
  it("stdout closed before anything is written (`evalaudit schema | true`): exit 0, no stack trace", () => {
    const err = join(tmp(), "err.txt")
    const r = shell(["schema"], `2>${quote(err)} | true`)
    expect(r.status).toBe(0)
    expect(readFileSync(err, "utf8")).toBe("")
  })

  it("a run whose reader stops after the first line (`run ... | head -1`): no stack trace", () => {
    const dir = tmp()
    const { file } = writeAudit(dir, 1)
    const err = join(dir, "err.txt")
    const r = shell(["run", file, "--db", join(dir, "s.db"), "--out", join(dir, "out")], `2>${quote(err)} | head -1`)
    expect(r.stdout.split("\n")[0]).toContain("cli-test")
    expect(readFileSync(err, "utf8")).not.toMatch(/EPIPE|    at /)
  })
})

describe("everything written reaches a slow reader before the process exits", () => {
  it("1 MiB on stderr, then process.exit, read after a pause", async () => {
    const script = `import { drained } from ${JSON.stringify(join(root, "src", "cli", "drained.ts"))}
process.stderr.write("x".repeat(1 << 20))
await drained(process.stderr)
process.exit(3)`
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, stdio: ["ignore", "ignore", "pipe"] })
    const status = new Promise<number | null>((resolve) => child.on("exit", resolve))
    // Read nothing for a while: the child fills the pipe and must wait, not exit.
    child.stderr?.pause()
    await new Promise((r) => setTimeout(r, 1500))
    let length = 0
    child.stderr?.on("data", (c: Buffer) => (length += c.length))
    const closed = new Promise((resolve) => child.on("close", resolve))
    child.stderr?.resume()
    expect(await status).toBe(3)
    await closed
    expect(length).toBe(1 << 20)
  })
})

describe("an output folder that cannot be written is refused before the store is opened", () => {
  it("--out under a regular file: exit 2, one line naming the flag, no store", () => {
    const dir = tmp()
    const { file } = writeAudit(dir, 1)
    writeFileSync(join(dir, "plain"), "not a folder")
    const db = join(dir, "s.db")
    const r = runCli(["run", file, "--db", db, "--out", join(dir, "plain", "out")])
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toContain("--out")
    expect(r.stderr).toContain("is not a directory")
    expect(existsSync(db)).toBe(false)
  })
})

describe("the CLI refuses a --db it must not write to, exit 2, the file unchanged", () => {
  it("another program's database", () => {
    const dir = tmp()
    const { file } = writeAudit(dir, 1)
    const db = join(dir, "theirs.db")
    const conn = new Database(db)
    conn.exec("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT); INSERT INTO accounts (owner) VALUES ('someone')")
    conn.close()
    const before = digest(db)
    for (const args of [["run", file, "--db", db, "--out", join(dir, "out")], ["runs", "--db", db], ["report", "r", "--db", db]]) {
      const r = runCli(args)
      expect(r.status, args[0]).toBe(2)
      expect(r.stderr).toContain("is not an evalaudit store")
      expect(digest(db)).toBe(before)
    }
    expect(existsSync(`${db}-wal`)).toBe(false)
    expect(existsSync(join(dir, "out"))).toBe(false)
  })

  it("a store with garbage written into it: refused by run, report and resume, with the recovery hint", () => {
    const dir = tmp()
    const { file } = writeAudit(dir, 2)
    const db = join(dir, "store.db")
    const first = runCli(["run", file, "--db", db, "--out", join(dir, "out"), "--run-id", "r", "--quiet"])
    expect(first.status, first.stderr).toBe(0)
    const conn = new Database(db)
    const pages = Number(conn.pragma("page_count", { simple: true }))
    conn.close()
    expect(pages).toBeGreaterThan(64)
    const bytes = readFileSync(db)
    bytes.fill(0x5a, Math.floor(pages / 2) * 4096, Math.floor(pages / 2) * 4096 + 65536)
    writeFileSync(db, bytes)
    const before = digest(db)
    for (const args of [
      ["run", file, "--db", db, "--out", join(dir, "out"), "--run-id", "r"],
      ["run", file, "--db", db, "--out", join(dir, "out")],
      ["report", "r", "--db", db, "--out", join(dir, "out")]
    ]) {
      const r = runCli(args)
      expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(2)
      expect(r.stderr).toContain("is damaged")
      expect(r.stderr).toContain(".recover")
      expect(digest(db)).toBe(before)
    }
  })
})
