/**
 * A long fuzz campaign through the CLI as it ships (issue 16): each case is a mutated audit
 * (tests/support/hostile-audits.ts) run with `evalaudit run` in a fresh folder. Exit 0 (it
 * ran) and exit 2 (bad input: one line naming the file, no stack trace, no store, no output
 * folder) are the only acceptable outcomes; anything else is printed with the case, and the
 * exit-code histogram closes the run. Build the CLI first (`npm run build:cli`).
 * Usage: npx --no-install tsx bench/fuzz.ts [--cases 1000] [--seed 16] [--concurrency 2]
 */
import { spawn } from "node:child_process"
import { existsSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import fc from "fast-check"
import { hostileCase, renderCase } from "../tests/support/hostile-audits.js"

const { values } = parseArgs({
  options: { cases: { type: "string", default: "1000" }, seed: { type: "string", default: "16" }, concurrency: { type: "string", default: "2" } }
})
const cases = fc.sample(hostileCase, { numRuns: Number(values.cases), seed: Number(values.seed) })
const bin = join(import.meta.dirname, "..", "bin", "evalaudit.js")
const root = mkdtempSync(join(tmpdir(), "evalaudit-fuzz-campaign-"))

interface Outcome {
  readonly code: number | null
  readonly problem?: string
}

const runCase = (index: number): Promise<Outcome> => {
  const dir = mkdtempSync(join(root, `${index}-`))
  const { name, text } = renderCase(cases[index] ?? { mutations: [], format: "json", duplicateKey: false })
  const file = join(dir, name)
  writeFileSync(file, text)
  const db = join(dir, "store", "evalaudit.db")
  const out = join(dir, "out")
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, "run", file, "--db", db, "--out", out, "--quiet"], { stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("close", (code) => {
      const lines = stderr.trimEnd().split("\n")
      const problem =
        code === 0
          ? undefined
          : code !== 2
            ? `exit ${code}: ${stderr.slice(0, 400)}`
            : !(lines[0] ?? "").startsWith(`evalaudit: ${file}`)
              ? `exit 2 without the file first: ${stderr.slice(0, 400)}`
              : /\n\s+at |internal error/.test(stderr)
                ? `exit 2 with a stack trace: ${stderr.slice(0, 400)}`
                : existsSync(db) || existsSync(out)
                  ? "exit 2 but a store or output folder was written"
                  : undefined
      resolve(problem === undefined ? { code } : { code, problem: `${problem}\n  case: ${file}` })
    })
  })
}

const histogram = new Map<string, number>()
const problems: Array<string> = []
let next = 0
const started = Date.now()
const worker = async (): Promise<void> => {
  for (let i = next++; i < cases.length; i = next++) {
    const { code, problem } = await runCase(i)
    histogram.set(String(code), (histogram.get(String(code)) ?? 0) + 1)
    if (problem !== undefined) problems.push(problem)
  }
}
await Promise.all(Array.from({ length: Number(values.concurrency) }, worker))

for (const p of problems) console.log(`UNEXPECTED ${p}`)
console.log(`${cases.length} cases (seed ${values.seed}) in ${((Date.now() - started) / 1000).toFixed(0)} s; cases kept in ${root}`)
console.log("exit code  cases")
for (const [code, count] of [...histogram].sort(([a], [b]) => a.localeCompare(b))) console.log(`${code.padStart(9)}  ${count}`)
console.log(problems.length === 0 ? "every case: exit 0, or exit 2 with one message naming the file and nothing written" : `${problems.length} unexpected outcomes`)
process.exitCode = problems.length === 0 ? 0 : 1
