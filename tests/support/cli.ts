import { spawn, spawnSync, type ChildProcess } from "node:child_process"
import { join } from "node:path"

const root = join(import.meta.dirname, "..", "..")
/** The CLI as it ships: compiled JavaScript (tests/support/build-cli.ts bundles it before the tests run). */
const bin = join(root, "bin", "evalaudit.js")

/** Arguments that run the CLI in one node process, so a signal reaches the run itself. */
const argv = (args: ReadonlyArray<string>) => [bin, ...args]

export interface CliResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** `env` is added to this process's environment. */
export const runCli = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}): CliResult => {
  const r = spawnSync(process.execPath, argv(args), { cwd: root, encoding: "utf8", env: { ...process.env, ...env } })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

export const startCli = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}): ChildProcess =>
  spawn(process.execPath, argv(args), { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } })
