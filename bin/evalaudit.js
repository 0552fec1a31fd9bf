#!/usr/bin/env node
// The CLI runs from JavaScript compiled at install (`npm run build`, run by `prepare`), so a
// command starts without transpiling TypeScript; signals reach the run itself.
import { existsSync, readFileSync } from "node:fs"

const bundle = new URL("../dist/bundle/", import.meta.url)
const main = new URL("evalaudit.mjs", bundle)
const instantFile = new URL("instant.json", bundle)
const args = process.argv.slice(2).join(" ")
// `--help` and `--version` print what the CLI printed for them when it was built
// (scripts/build-cli.mjs), without loading it, so they answer at once. That text is the piped
// form (no colour, 80 columns): a terminal or FORCE_COLOR gets the CLI's own rendering.
const plain = !process.stdout.isTTY && (process.env.FORCE_COLOR === undefined || process.env.FORCE_COLOR === "0")
const instant = plain && (args === "--help" || args === "-h" || args === "--version") && existsSync(instantFile)
  ? JSON.parse(readFileSync(instantFile, "utf8"))[args]
  : undefined

if (typeof instant === "string") {
  process.stdout.write(instant)
} else if (!existsSync(main)) {
  process.stderr.write("evalaudit: the compiled CLI is missing (dist/bundle/evalaudit.mjs); run `npm run build` in the evalaudit folder\n")
  process.exitCode = 2
} else {
  await import(main.href)
}
