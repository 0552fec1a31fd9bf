/**
 * Start-up time of the compiled CLI: wall time of `evalaudit --help` and `evalaudit runs`
 * (median, min and max of 10 runs each). Build first (`npm run build`).
 *
 *   npx --no-install tsx bench/startup.ts
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const root = join(import.meta.dirname, "..")
const bin = join(root, "bin", "evalaudit.js")
const RUNS = 10

const time = (args: ReadonlyArray<string>): number => {
  const start = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8" })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0) throw new Error(`evalaudit ${args.join(" ")} exited ${r.status}: ${r.stderr}`)
  return ms
}

const stats = (xs: ReadonlyArray<number>) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = sorted.length / 2
  const median = sorted.length % 2 === 0 ? ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2 : (sorted[Math.floor(mid)] ?? 0)
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 }
}

const dir = mkdtempSync(join(tmpdir(), "evalaudit-startup-"))
try {
  // A store holding one small run, so `runs` reads a real store.
  const db = join(dir, "evalaudit.db")
  time(["init", dir])
  time(["run", join(dir, "audit.yaml"), "--db", db, "--out", join(dir, "out")])
  for (const [label, args] of [
    ["evalaudit --help", ["--help"]],
    ["evalaudit runs", ["runs", "--db", db]]
  ] as const) {
    const s = stats(Array.from({ length: RUNS }, () => time(args)))
    console.log(`${label.padEnd(18)} median ${s.median.toFixed(0)} ms  (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)}; ${RUNS} runs)`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
