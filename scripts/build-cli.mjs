/**
 * Builds the CLI (`npm run build:cli`): one esbuild pass over two entries sharing their
 * code in chunks, the CLI (`dist/bundle/evalaudit.mjs`) and the cell worker it starts
 * (`dist/bundle/cell-worker.mjs`), minified (less to parse at every start). Then runs the
 * CLI once for `--help` and `--version` and keeps what it printed in
 * `dist/bundle/instant.json`, which `bin/evalaudit.js` prints without loading the CLI: the
 * text comes from the @effect/cli definitions, never written twice. With `--bench`, also
 * `bench/audit.ts` (as `dist/bundle/bench-audit.mjs`), so the benchmark's workers run the
 * compiled code the CLI's do.
 */
import { build } from "esbuild"
import { execFile } from "node:child_process"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"

const root = join(import.meta.dirname, "..")
const outdir = join(root, "dist", "bundle")

rmSync(outdir, { recursive: true, force: true })
await build({
  absWorkingDir: root,
  entryPoints: {
    evalaudit: "src/cli/main.ts",
    "cell-worker": "src/audit/cell-worker.ts",
    ...(process.argv.includes("--bench") ? { "bench-audit": "bench/audit.ts" } : {})
  },
  bundle: true,
  splitting: true,
  minify: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outdir,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunk-[hash]",
  external: ["better-sqlite3", "tsx"],
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: "warning"
})

// The arguments bin/evalaudit.js answers from this file (exactly these, nothing after them).
const instant = {}
await Promise.all(
  [["--help"], ["-h"], ["--version"]].map(async (args) => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(outdir, "evalaudit.mjs"), ...args], { cwd: root })
    instant[args.join(" ")] = stdout
  })
)
writeFileSync(join(outdir, "instant.json"), JSON.stringify(instant))
