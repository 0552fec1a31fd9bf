import { spawn, spawnSync, type ChildProcess } from "node:child_process"
import { join } from "node:path"

const root = join(import.meta.dirname, "..", "..")
const main = join(root, "src", "cli", "main.ts")

/** Arguments that run the CLI in one node process (tsx as a loader), so a signal reaches the run itself. */
const argv = (args: ReadonlyArray<string>) => ["--import", "tsx", main, ...args]

export interface CliResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

export const runCli = (args: ReadonlyArray<string>): CliResult => {
  const r = spawnSync(process.execPath, argv(args), { cwd: root, encoding: "utf8" })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

export const startCli = (args: ReadonlyArray<string>): ChildProcess =>
  spawn(process.execPath, argv(args), { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
