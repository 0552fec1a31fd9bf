/**
 * Fuzzing the audit loader (issue 16): mutations of a valid audit (wrong types, huge numbers,
 * built-in names, deep nesting, control characters, unknown and duplicate keys) either load
 * or are refused as bad input naming the file, with no stack trace and nothing written;
 * never a crash. In process and seeded; bench/fuzz.ts runs a long campaign through the CLI.
 */
import { NodeContext } from "@effect/platform-node"
import { Cause, Effect, Exit, Option } from "effect"
import fc from "fast-check"
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadAudit } from "../src/audit/load-audit.js"
import { checkWorkBudget } from "../src/audit/work-estimate.js"
import { AuditFileError } from "../src/domain/audit-file-error.js"
import { hostileCase, renderCase } from "./support/hostile-audits.js"

/** What the CLI would do before opening the store: load, then the work budget. */
const prepare = (file: string) =>
  loadAudit(file).pipe(
    Effect.flatMap((audit) => {
      const tooLarge = checkWorkBudget(audit, { allowLarge: false })
      return tooLarge === undefined ? Effect.void : Effect.fail(tooLarge)
    }),
    Effect.provide(NodeContext.layer)
  )

describe("fuzzed audits", () => {
  it("load, or are refused as bad input naming the file: never a crash, a stack trace or a write", async () => {
    const dir = mkdtempSync(join(tmpdir(), "evalaudit-fuzz-"))
    const outcomes = { loaded: 0, refused: 0 }
    let n = 0
    await fc.assert(
      fc.asyncProperty(hostileCase, async (c) => {
        const { name, text } = renderCase(c)
        const file = join(mkdtempSync(join(dir, `${n++}-`)), name)
        writeFileSync(file, text)
        const exit = await Effect.runPromiseExit(prepare(file))
        if (Exit.isSuccess(exit)) {
          outcomes.loaded++
        } else {
          const failure = Cause.failureOption(exit.cause)
          // Anything but an AuditFileError (a defect, an interruption) is a crash.
          expect(Option.isSome(failure) && failure.value instanceof AuditFileError ? "bad input" : Cause.pretty(exit.cause)).toBe("bad input")
          const message = Option.isSome(failure) ? String(failure.value) : ""
          expect(message.startsWith(file)).toBe(true)
          expect(message).not.toMatch(/\n\s+at |internal error/)
          outcomes.refused++
        }
        expect(readdirSync(join(file, ".."))).toEqual([name])
      }),
      { numRuns: 150, seed: 16 }
    )
    // The generator reaches both sides: some mutations keep the audit valid, most do not.
    expect(outcomes.refused).toBeGreaterThan(50)
    expect(outcomes.loaded).toBeGreaterThan(0)
  })
})
