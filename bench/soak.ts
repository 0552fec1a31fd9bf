/**
 * Kill soak: runs the example audit once uninterrupted (the reference), then runs it again
 * under `--run-id`, killing the process with SIGKILL at a random moment after the first stored
 * row, resuming, killing the resumed process again, and so on until N kills have landed; each
 * killed run is resumed to the end. Every finished run must equal the reference: its summary
 * (without ids and times) and a hash of every table's rows, with `integrity_check` ok. Moments
 * come from the seeded hash, so a seed replays the same schedule. Build first (`npm run build`).
 *
 *   npx --no-install tsx bench/soak.ts [kills=20] [replicates=10] [seed=1]
 */
import Database from "better-sqlite3"
import { spawn, spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { sha256Hex } from "../src/stats/seeded-random.js"

const root = join(import.meta.dirname, "..")
const bin = join(root, "bin", "evalaudit.js")
const audit = join(root, "audits", "example.audit.ts")
const [kills = 20, replicates = 10, seed = 1] = process.argv.slice(2).map(Number)

const dir = mkdtempSync(join(tmpdir(), "evalaudit-soak-"))
const out = join(dir, "out")
const args = (db: string, extra: ReadonlyArray<string>) => ["run", audit, "--db", db, "--out", out, "--replicates", String(replicates), "--quiet", ...extra]

/** A number in [0, 1) from the seeded hash of `key`. */
const uniform = (key: string): number => Number.parseInt(sha256Hex(`${seed}|${key}`).slice(0, 12), 16) / 2 ** 48

const query = (db: string, sql: string): unknown => {
  if (!existsSync(db)) return undefined
  const conn = new Database(db, { readonly: true, fileMustExist: true })
  try {
    return conn.prepare(sql).pluck().get()
  } catch {
    // The schema is not there yet.
    return undefined
  } finally {
    conn.close()
  }
}
const cells = (db: string): number => Number(query(db, "SELECT count(*) FROM cells") ?? 0)

const tableDigests = (db: string): Record<string, string> => {
  const conn = new Database(db, { readonly: true, fileMustExist: true })
  try {
    const digests: Record<string, string> = {}
    for (const table of ["cells", "responses", "trigger_results", "manipulation_checks", "grader_checks", "derived"]) {
      const columns = conn.prepare(`SELECT name FROM pragma_table_info('${table}') WHERE name != 'run_id'`).pluck().all().map(String)
      const rows = conn.prepare(`SELECT ${columns.join(", ")} FROM ${table} ORDER BY ${columns.join(", ")}`).raw().all()
      digests[table] = createHash("sha256").update(JSON.stringify(rows)).digest("hex")
    }
    return digests
  } finally {
    conn.close()
  }
}

const comparable = (file: string): string => {
  const s: unknown = JSON.parse(readFileSync(file, "utf8"))
  return JSON.stringify(typeof s === "object" && s !== null ? { ...s, runId: "", startedAt: "", finishedAt: "" } : s)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const referenceDb = join(dir, "reference.db")
const started = performance.now()
const reference = spawnSync(process.execPath, [bin, ...args(referenceDb, ["--json", join(dir, "reference.json")])], { cwd: root, encoding: "utf8" })
if (reference.status !== 0) throw new Error(`reference run failed: ${reference.stderr}`)
const referenceMs = performance.now() - started
const totalCells = cells(referenceDb)
const referenceTables = tableDigests(referenceDb)
console.log(`reference: ${totalCells} cells in ${(referenceMs / 1000).toFixed(1)} s`)

const landed = { midCells: 0, afterCells: 0 }
let killed = 0
let trial = 0
let failures = 0
while (killed < kills) {
  trial++
  const db = join(dir, `trial-${trial}.db`)
  const runId = `soak-${trial}`
  let killsThisTrial = 0
  for (;;) {
    const child = spawn(process.execPath, [bin, ...args(db, ["--run-id", runId, "--json", join(dir, `${runId}.json`)])], { cwd: root, stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")))
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
    let done: number | null | undefined
    void exit.then((code) => (done = code))
    // After the first stored row, a moment anywhere in what is left of a run's length.
    while (cells(db) === 0 && done === undefined) await sleep(5)
    if (done === undefined && killed < kills) {
      // Within the first half of a run's length: most moments land in a run that is still going.
      await sleep(uniform(`${trial}|${killsThisTrial}`) * referenceMs * 0.5)
      if (done === undefined) {
        const at = cells(db)
        child.kill("SIGKILL")
        await exit
        killed++
        killsThisTrial++
        if (at < totalCells) landed.midCells++
        else landed.afterCells++
        continue
      }
    }
    const code = await exit
    if (code !== 0) throw new Error(`${runId} exited ${code}: ${stderr}`)
    break
  }
  const sameSummary = comparable(join(dir, `${runId}.json`)) === comparable(join(dir, "reference.json"))
  const sameTables = JSON.stringify(tableDigests(db)) === JSON.stringify(referenceTables)
  const integrity = String(query(db, "PRAGMA integrity_check"))
  const finished = query(db, `SELECT finished_at IS NOT NULL FROM runs WHERE id = '${runId}'`) === 1
  const ok = sameSummary && sameTables && integrity === "ok" && finished
  if (!ok) failures++
  console.log(
    `trial ${trial}: ${killsThisTrial} kill(s), resumed to the end: summary ${sameSummary ? "same" : "DIFFERENT"}, tables ${sameTables ? "same" : "DIFFERENT"}, integrity ${integrity}, ${finished ? "finished" : "NOT finished"}`
  )
}
console.log(`${killed} SIGKILLs over ${trial} runs (${landed.midCells} while cells were being measured, ${landed.afterCells} after the last cell: deriving or writing outputs); ${failures} run(s) differed from the reference`)
rmSync(dir, { recursive: true, force: true })
if (failures > 0) process.exit(1)
