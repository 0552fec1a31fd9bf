import { execFileSync } from "node:child_process"
import { createRequire } from "node:module"
import { join } from "node:path"

/**
 * Vitest global setup: compiles src/ to dist/ (incremental, a few seconds when nothing
 * changed), so the CLI tests run the JavaScript that ships, never a stale build.
 */
export default function buildCli(): void {
  const root = join(import.meta.dirname, "..", "..")
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" })
}
