#!/usr/bin/env node
// The CLI runs from JavaScript compiled at install (`npm run build`, run by `prepare`), so a
// command starts without transpiling TypeScript; signals reach the run itself.
import { existsSync } from "node:fs"

const main = new URL("../dist/evalaudit.mjs", import.meta.url)
if (!existsSync(main)) {
  process.stderr.write("evalaudit: the compiled CLI is missing (dist/evalaudit.mjs); run `npm run build` in the evalaudit folder\n")
  process.exit(2)
}
await import(main.href)
