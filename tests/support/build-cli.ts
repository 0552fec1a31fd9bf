import { execFileSync } from "node:child_process"
import { join } from "node:path"

/**
 * Vitest global setup: bundles the CLI (`npm run build:cli`, esbuild, a few seconds), so the
 * CLI tests run the JavaScript that ships, never a stale build.
 */
export default function buildCli(): void {
  const root = join(import.meta.dirname, "..", "..")
  execFileSync("npm", ["run", "build:cli", "--silent"], { cwd: root, stdio: "inherit" })
}
