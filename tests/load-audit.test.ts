import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { loadAudit } from "../src/audit/load-audit.js"

const evaluation = {
  id: "e",
  measures: { kind: "capability", domain: "bio" },
  dataset: { samples: [{ id: "s", input: "?", choices: ["a", "b"], target: "A" }] },
  grader: { type: "choice" },
  decision: { rule: "point", threshold: 0.5 }
}

const writeJson = (value: unknown): string => {
  const file = join(mkdtempSync(join(tmpdir(), "evalaudit-load-")), "audit.json")
  writeFileSync(file, JSON.stringify(value))
  return file
}

const failure = (value: unknown) =>
  loadAudit(writeJson(value)).pipe(Effect.flip, Effect.provide(NodeContext.layer))

describe("loadAudit", () => {
  it.effect("fills the defaults of a minimal audit", () =>
    Effect.gen(function* () {
      const audit = yield* loadAudit(writeJson({ name: "a", evaluations: [evaluation], organisms: [{ id: "o" }] }))
      expect(audit.seed).toBe(1)
      expect(audit.replicates).toBe(5)
      expect(audit.evaluations[0]?.protocol).toEqual({ template: "{input}", demonstrations: 0, epochs: 1 })
      expect(audit.organisms[0]?.base.capability).toBe(0.9)
      expect(audit.evaluations[0]?.dataset.source).toBe("inline")
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.effect("rejects a misspelt field instead of ignoring it", () =>
    Effect.gen(function* () {
      const error = yield* failure({ name: "a", evaluations: [{ ...evaluation, decision: { rule: "point", threshhold: 0.5 } }], organisms: [{ id: "o" }] })
      expect(String(error)).toContain("evaluations[0].decision")
      expect(String(error)).toContain("threshhold")
    })
  )

  it.effect("rejects duplicate ids", () =>
    Effect.gen(function* () {
      const error = yield* failure({ name: "a", evaluations: [evaluation, evaluation], organisms: [{ id: "o" }, { id: "o" }] })
      expect(String(error)).toContain('duplicate evaluation id "e"')
      expect(String(error)).toContain('duplicate organism id "o"')
    })
  )

  it.effect("rejects an unknown defect layer, naming the organism", () =>
    Effect.gen(function* () {
      const error = yield* failure({ name: "a", evaluations: [evaluation], organisms: [{ id: "o", layers: [{ _tag: "sleepr" }] }] })
      expect(String(error)).toContain("organisms[0].layers[0]")
    })
  )

  it.effect("rejects at-least-k larger than the number of conditions", () =>
    Effect.gen(function* () {
      const error = yield* failure({
        name: "a",
        evaluations: [evaluation],
        organisms: [{ id: "o" }],
        policy: { id: "p", triggers: [{ id: "t", commitment: "c", when: { atLeast: 2 }, conditions: [{ evaluation: "e" }] }] }
      })
      expect(String(error)).toContain("policy.triggers[0].when.atLeast")
    })
  )

  it.effect("rejects an invalid regular expression in a grader", () =>
    Effect.gen(function* () {
      const error = yield* failure({ name: "a", evaluations: [{ ...evaluation, grader: { type: "regex", pattern: "([" } }], organisms: [{ id: "o" }] })
      expect(String(error)).toContain("evaluations[0].grader")
      expect(String(error)).toContain("valid regular expression")
    })
  )

  it.effect("reports a missing dataset file", () =>
    Effect.gen(function* () {
      const error = yield* failure({ name: "a", evaluations: [{ ...evaluation, dataset: { path: "missing.jsonl" } }], organisms: [{ id: "o" }] })
      expect(String(error)).toContain("missing.jsonl")
    })
  )
})

describe("loadAudit refuses samples the grader cannot grade", () => {
  const withSamples = (grader: object, samples: ReadonlyArray<object>) => ({
    name: "a",
    evaluations: [{ ...evaluation, grader, dataset: { samples } }],
    organisms: [{ id: "o" }]
  })

  it.effect("a choice target that is not one of the letters", () =>
    Effect.gen(function* () {
      const error = yield* failure(withSamples({ type: "choice" }, [{ id: "s", input: "?", choices: ["a", "b"], target: "Paris" }]))
      expect(String(error)).toContain('sample "s": target "Paris" is not one of the choice letters A, B')
    })
  )

  it.effect("a propensity item without both answers, or with the same answer twice", () =>
    Effect.gen(function* () {
      const error = yield* failure(
        withSamples({ type: "behaviour-match" }, [
          { id: "s1", input: "?", matchingBehavior: " Yes" },
          { id: "s2", input: "?", matchingBehavior: " Yes", notMatchingBehavior: "yes" }
        ])
      )
      expect(String(error)).toContain('sample "s1": needs matchingBehavior and notMatchingBehavior')
      expect(String(error)).toContain("and 1 more sample that cannot be graded")
      const same = yield* failure(withSamples({ type: "behaviour-match" }, [{ id: "s2", input: "?", matchingBehavior: " Yes", notMatchingBehavior: "yes" }]))
      expect(String(same)).toContain('sample "s2": matchingBehavior and notMatchingBehavior are the same answer')
    })
  )

  it.effect("duplicate sample ids in an inline dataset", () =>
    Effect.gen(function* () {
      const error = yield* failure(withSamples({ type: "choice" }, [{ id: "s", input: "?", choices: ["a", "b"], target: "A" }, { id: "s", input: "!", choices: ["a", "b"], target: "B" }]))
      expect(String(error)).toContain("repeated: s")
    })
  )

  it.effect("regex flags that JavaScript rejects, or repeated flags", () =>
    Effect.gen(function* () {
      expect(String(yield* failure({ name: "a", evaluations: [{ ...evaluation, grader: { type: "regex", pattern: "x", flags: "ii" } }], organisms: [{ id: "o" }] }))).toContain("evaluations[0].grader.flags")
      expect(String(yield* failure({ name: "a", evaluations: [{ ...evaluation, grader: { type: "regex", pattern: "\\-", flags: "u" } }], organisms: [{ id: "o" }] }))).toContain("evaluations[0].grader.pattern")
    })
  )
})
