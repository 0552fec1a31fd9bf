/**
 * Start-up time of the compiled CLI: wall time of `evalaudit --help` and `evalaudit runs`
 * (median, min and max of 10 runs each), beside `node -e 0` (Node's own start-up, run in
 * turn with them) and the ratio of the medians, which says more than a time on a shared
 * machine. Build first (`npm run build`).
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

const timeNode = (argv: ReadonlyArray<string>): number => {
  const start = process.hrtime.bigint()
  const r = spawnSync(process.execPath, argv, { cwd: root, encoding: "utf8" })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0) throw new Error(`node ${argv.join(" ")} exited ${r.status}: ${r.stderr}`)
  return ms
}
const time = (args: ReadonlyArray<string>): number => timeNode([bin, ...args])

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
  const show = (label: string, s: ReturnType<typeof stats>, extra = "") =>
    console.log(`${label.padEnd(18)} median ${s.median.toFixed(0)} ms  (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)}; ${RUNS} runs)${extra}`)
  for (const [label, args] of [
    ["evalaudit --help", ["--help"]],
    ["evalaudit runs", ["runs", "--db", db]]
  ] as const) {
    const cli: Array<number> = []
    const node: Array<number> = []
    for (let i = 0; i < RUNS; i++) {
      cli.push(time(args))
      node.push(timeNode(["-e", "0"]))
    }
    const a = stats(cli)
    const b = stats(node)
    show(label, a, `; ${(a.median / b.median).toFixed(1)}x node -e 0`)
    show("  node -e 0", b)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
