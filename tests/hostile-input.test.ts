/**
 * Hostile input through the loader, in process (issue 16): every case must be refused as bad
 * input, one line naming the file and the place in it, never a crash, a hang or a silent
 * change of the numbers. tests/hostile-cli.test.ts runs a representative few through the CLI.
 */
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { loadAudit } from "../src/audit/load-audit.js"
import { AuditFileError } from "../src/domain/audit-file-error.js"

const dir = () => mkdtempSync(join(tmpdir(), "evalaudit-hostile-"))

const write = (folder: string, name: string, content: string | Buffer): string => {
  const file = join(folder, name)
  writeFileSync(file, content)
  return file
}

const mcq = { id: "s", input: "?", choices: ["a", "b"], target: "A" }
const capability = (dataset: object, extra: object = {}) => ({
  id: "e",
  measures: { kind: "capability", domain: "bio" },
  dataset,
  grader: { type: "choice" },
  decision: { rule: "point", threshold: 0.5 },
  ...extra
})
const propensity = (dataset: object) => ({
  id: "p",
  measures: { kind: "propensity", behaviour: "power-seeking" },
  dataset,
  grader: { type: "behaviour-match" },
  decision: { rule: "point", threshold: 0.5 }
})
const audit = (evaluations: ReadonlyArray<object>, extra: object = {}) => ({ name: "a", evaluations, organisms: [{ id: "o" }], ...extra })

const load = (file: string) => loadAudit(file).pipe(Effect.provide(NodeContext.layer))
const failure = (file: string) => load(file).pipe(Effect.flip)

/** Bad input as the CLI prints it: one line, the file first, then the place and what was expected; no stack trace. */
const expectRefused = (error: unknown, file: string, ...says: ReadonlyArray<string>) => {
  expect(error).toBeInstanceOf(AuditFileError)
  const text = String(error)
  expect(text.split("\n")).toHaveLength(1)
  expect(text.startsWith(file)).toBe(true)
  expect(text).not.toMatch(/\n\s+at /)
  for (const s of says) expect(text).toContain(s)
}

describe("defect 1: ungradable samples are refused on every path a sample comes in by", () => {
  it.effect("an inline propensity item with an empty answer", () =>
    Effect.gen(function* () {
      const d = dir()
      const file = write(d, "a.json", JSON.stringify(audit([propensity({ samples: [{ id: "s", input: "?", matchingBehavior: "", notMatchingBehavior: "No" }] })])))
      expectRefused(yield* failure(file), file, "evaluations[0]", "matchingBehavior")
    })
  )

  it.effect("an empty target for an exact grader", () =>
    Effect.gen(function* () {
      const d = dir()
      const exact = write(d, "x.json", JSON.stringify(audit([{ ...capability({ samples: [{ id: "s", input: "?", target: "  " }] }), grader: { type: "exact" } }])))
      expectRefused(yield* failure(exact), exact, "evaluations[0]", "target")
    })
  )

  it.effect("an inline sample outside the seeded subset is checked too", () =>
    Effect.gen(function* () {
      const d = dir()
      const samples = ["a", "b", "c", "d"].map((id) => ({ id, input: "?", matchingBehavior: "Yes", notMatchingBehavior: "No" }))
      const good = yield* load(write(d, "good.json", JSON.stringify(audit([propensity({ samples, limit: 1 })]))))
      const taken = good.evaluations[0]?.dataset.samples.map((s) => s.id) ?? []
      expect(taken).toHaveLength(1)
      const outside = samples.map((s) => (taken.includes(s.id) ? s : { ...s, notMatchingBehavior: "" }))
      const file = write(d, "bad.json", JSON.stringify(audit([propensity({ samples: outside, limit: 1 })])))
      expectRefused(yield* failure(file), file, "evaluations[0]", "notMatchingBehavior")
    })
  )

  it.effect("a dataset record outside the subset is refused with its file and line, in every importer", () =>
    Effect.gen(function* () {
      const d = dir()
      const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: `q${i}`, input: "?", choices: ["a", "b"], target: i === 23 ? "" : "A" }))
      const data = write(d, "d.jsonl", lines.join("\n"))
      const file = write(d, "a.json", JSON.stringify(audit([capability({ path: "d.jsonl", limit: 2 })])))
      expectRefused(yield* failure(file), data, `${data}:24`, "target")
      const mwe = write(d, "m.jsonl", `${JSON.stringify({ question: "Q?", answer_matching_behavior: " ", answer_not_matching_behavior: " No" })}\n`)
      const mweAudit = write(d, "m.json", JSON.stringify(audit([propensity({ path: "m.jsonl", format: "anthropic-mwe" })])))
      expectRefused(yield* failure(mweAudit), mwe, `${mwe}:1`, "answer_matching_behavior")
      // A well-formed Inspect record without choices: the importer takes it, the choice grader cannot grade it.
      const csv = write(d, "i.csv", "input,target\nQ?,A\nR?,B\n")
      const csvAudit = write(d, "i.json", JSON.stringify(audit([capability({ path: "i.csv", format: "inspect" })])))
      expectRefused(yield* failure(csvAudit), csv, `${csv}:2`, "needs at least two choices")
    })
  )

  it.effect("a bad record is skipped and counted under onBadRecord: skip, never scored", () =>
    Effect.gen(function* () {
      const d = dir()
      write(d, "d.jsonl", [JSON.stringify(mcq), JSON.stringify({ ...mcq, id: "t", target: "Z" })].join("\n"))
      const loaded = yield* load(write(d, "a.json", JSON.stringify(audit([capability({ path: "d.jsonl", onBadRecord: "skip" })]))))
      const dataset = loaded.evaluations[0]?.dataset
      expect(dataset?.samples.map((s) => s.id)).toEqual(["s"])
      expect(dataset?.origin?.skipped).toBe(1)
      expect(dataset?.origin?.skippedExamples[0]).toContain("line 2")
    })
  )

  it.effect("a TypeScript audit's inline samples", () =>
    Effect.gen(function* () {
      const d = dir()
      const value = audit([propensity({ samples: [{ id: "s", input: "?", matchingBehavior: "Yes", notMatchingBehavior: "" }] })])
      const file = write(d, "a.audit.ts", `export default ${JSON.stringify(value)}\n`)
      expectRefused(yield* failure(file), file, "evaluations[0]", "notMatchingBehavior")
    })
  )
})

describe("defect 4: malformed audit files are bad input, not crashes", () => {
  it.effect("a YAML alias bomb", () =>
    Effect.gen(function* () {
      const rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
      for (const [i, name] of ["b", "c", "d", "e", "f", "g", "h"].entries()) rows.push(`${name}: &${name} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`)
      const file = write(dir(), "bomb.yaml", `${rows.join("\n")}\n`)
      expectRefused(yield* failure(file), file, "alias")
    })
  )

  it.effect("an alias before its anchor, with its line", () =>
    Effect.gen(function* () {
      const file = write(dir(), "alias.yaml", "name: a\ndescription: *later\nseed: &later 3\n")
      expectRefused(yield* failure(file), file, `${file}:2`, "alias")
    })
  )

  it.effect("JSON nested 10,000 deep, at the root or inside a field", () =>
    Effect.gen(function* () {
      const d = dir()
      const deep = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`
      const inner = write(d, "inner.json", JSON.stringify(audit([capability({ samples: [mcq] })])).replace('"name":"a"', `"name":"a","description":${deep}`))
      expectRefused(yield* failure(inner), inner, "nested")
      const arrays = write(d, "arrays.json", `${"[".repeat(10_000)}${"]".repeat(10_000)}`)
      expectRefused(yield* failure(arrays), arrays)
      const yaml = write(d, "deep.yaml", `name: a\ndescription: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`)
      expectRefused(yield* failure(yaml), yaml, "nested")
    })
  )

  it.effect("a symlink loop as the audit path", () =>
    Effect.gen(function* () {
      const d = dir()
      symlinkSync(join(d, "b.json"), join(d, "a.json"))
      symlinkSync(join(d, "a.json"), join(d, "b.json"))
      expectRefused(yield* failure(join(d, "a.json")), join(d, "a.json"), "symbolic links")
    })
  )

  it.effect("series[0].checkpoints: 1e15", () =>
    Effect.gen(function* () {
      const series = { id: "s", quantity: { kind: "capability", domain: "bio" }, growth: { kind: "linear", from: 0.1, to: 0.9 }, checkpoints: 1e15 }
      const file = write(dir(), "a.json", JSON.stringify(audit([capability({ samples: [mcq] })], { series: [series] })))
      expectRefused(yield* failure(file), file, "series[0].checkpoints", "at most")
    })
  )

  it.effect("a list at the root: expected a mapping", () =>
    Effect.gen(function* () {
      const file = write(dir(), "list.yaml", "- a\n- b\n")
      expectRefused(yield* failure(file), file, "expected a mapping")
    })
  )

  it.effect("a misspelt top-level key is reported on its own line", () =>
    Effect.gen(function* () {
      const valid = "evaluations:\n  - id: e\n    measures: { kind: capability, domain: bio }\n    dataset: { samples: [{ id: s, input: '?', choices: [a, b], target: A }] }\n    grader: { type: choice }\n    decision: { rule: point, threshold: 0.5 }\norganisms: [{ id: o }]\n"
      const file = write(dir(), "a.yaml", `name: a\nreplicatse:\n  3\n${valid}`)
      expectRefused(yield* failure(file), file, `${file}:2`, "replicatse")
    })
  )
})

describe("defect 5: JavaScript built-in names as keys", () => {
  it.effect("__proto__ as a metadata key or a domain is refused by name (it cannot be a key of a plain record)", () =>
    Effect.gen(function* () {
      const d = dir()
      const meta = write(d, "m.json", JSON.stringify(audit([capability({ samples: [mcq] })])).replace('"target":"A"', '"target":"A","metadata":{"__proto__":"x"}'))
      expectRefused(yield* failure(meta), meta, "evaluations[0].dataset.samples[0].metadata", "__proto__")
      const domain = write(d, "d.json", JSON.stringify(audit([capability({ samples: [mcq] })])).replace('"domain":"bio"', '"domain":"__proto__"'))
      expectRefused(yield* failure(domain), domain, "evaluations[0].measures", "__proto__")
      write(d, "r.jsonl", `${JSON.stringify(mcq).replace('"target":"A"', '"target":"A","metadata":{"__proto__":"x"}')}\n`)
      const record = write(d, "r.json", JSON.stringify(audit([capability({ path: "r.jsonl" })])))
      expectRefused(yield* failure(record), join(d, "r.jsonl"), ":1", "__proto__")
    })
  )
})

describe("defect 6: every count is bounded", () => {
  const cases: ReadonlyArray<[string, object, string]> = [
    ["replicates", { replicates: 1e12 }, "replicates"],
    ["manipulationCheck.samples", { manipulationCheck: { samples: 1e12 } }, "manipulationCheck.samples"],
    ["graderBattery.numRuns", { graderBattery: { numRuns: 1e9 } }, "graderBattery.numRuns"],
    ["sweep values", { sweeps: [{ id: "w", organism: { archetype: "rare-defector" }, parameter: "rate", values: Array.from({ length: 200_000 }, (_, i) => (i + 1) / 300_000) }] }, "sweeps[0].values"],
    ["search numRuns", { search: { numRuns: 1e12 } }, "search.numRuns"]
  ]
  for (const [name, extra, place] of cases) {
    it.effect(name, () =>
      Effect.gen(function* () {
        const file = write(dir(), "a.json", JSON.stringify(audit([capability({ samples: [mcq] })], extra)))
        expectRefused(yield* failure(file), file, place, "at most")
      })
    )
  }

  it.effect("epochs and a subset limit", () =>
    Effect.gen(function* () {
      const d = dir()
      const epochs = write(d, "e.json", JSON.stringify(audit([capability({ samples: [mcq] }, { protocol: { epochs: 1e9 } })])))
      expectRefused(yield* failure(epochs), epochs, "evaluations[0].protocol.epochs", "at most")
      // A dataset is inline or a file: the message lists what each form expected, so it takes more than one line.
      const limit = write(d, "l.json", JSON.stringify(audit([capability({ samples: [mcq], limit: 1e12 })])))
      const error = yield* failure(limit)
      expect(error).toBeInstanceOf(AuditFileError)
      expect(String(error)).toMatch(new RegExp(`^${limit}: \\d problems:\n  line 1: evaluations\\[0\\]\\.dataset\\.limit: Expected a whole number of at most 10,000,000`))
    })
  )
})

describe("defect 11 and the dataset messages", () => {
  it.effect("a wrong dataset path names the audit file, the field and its line", () =>
    Effect.gen(function* () {
      const file = write(dir(), "a.yaml", "name: a\norganisms: [{ id: o }]\nevaluations:\n  - id: e\n    measures: { kind: capability, domain: bio }\n    dataset:\n      path: nothere.jsonl\n    grader: { type: choice }\n    decision: { rule: point, threshold: 0.5 }\n")
      const error = yield* failure(file)
      expectRefused(error, file, `${file}:7`, "evaluations[0].dataset.path", "no such file: nothere.jsonl")
      expect(String(error).split("nothere.jsonl")).toHaveLength(2)
    })
  )

  it.effect("a FIFO and /dev/zero as datasets are refused, not read forever", () =>
    Effect.gen(function* () {
      const d = dir()
      execFileSync("mkfifo", [join(d, "fifo.jsonl")])
      const fifo = write(d, "f.json", JSON.stringify(audit([capability({ path: "fifo.jsonl" })])))
      expectRefused(yield* failure(fifo), fifo, "evaluations[0].dataset.path", "not a regular file")
      const zero = write(d, "z.json", JSON.stringify(audit([capability({ path: "/dev/zero" })])))
      expectRefused(yield* failure(zero), zero, "evaluations[0].dataset.path", "not a regular file")
    })
  )

  it.effect("invalid UTF-8 in a dataset is refused with its line", () =>
    Effect.gen(function* () {
      const d = dir()
      const data = write(d, "d.jsonl", Buffer.concat([Buffer.from(`${JSON.stringify(mcq)}\n{"id":"t","input":"`), Buffer.from([0xff, 0xfe]), Buffer.from('","choices":["a","b"],"target":"A"}\n')]))
      const file = write(d, "a.json", JSON.stringify(audit([capability({ path: "d.jsonl" })])))
      expectRefused(yield* failure(file), data, `${data}:2`, "UTF-8")
    })
  )

  it.effect("invalid UTF-8 in an audit file is refused with its line", () =>
    Effect.gen(function* () {
      const file = write(dir(), "a.yaml", Buffer.concat([Buffer.from("name: a\ndescription: "), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]))
      expectRefused(yield* failure(file), file, `${file}:2`, "UTF-8")
    })
  )

  it.effect("duplicate keys in a JSON audit are refused with their line", () =>
    Effect.gen(function* () {
      const text = JSON.stringify(audit([capability({ samples: [mcq] })]), null, 2).replace('"name": "a",', '"name": "a",\n  "replicates": 3,\n  "replicates": 4,')
      const file = write(dir(), "a.json", text)
      expectRefused(yield* failure(file), file, `${file}:4`, "replicates")
    })
  )

  it.effect("a stratifyBy field that no record has is an error, not one (missing) stratum", () =>
    Effect.gen(function* () {
      const d = dir()
      const samples = ["a", "b", "c"].map((id) => ({ ...mcq, id, metadata: { subject: "x" } }))
      const inline = write(d, "i.json", JSON.stringify(audit([capability({ samples, limit: 2, stratifyBy: "subjet" })])))
      expectRefused(yield* failure(inline), inline, "evaluations[0].dataset.stratifyBy", "subjet", "subject")
      write(d, "d.jsonl", samples.map((s) => JSON.stringify(s)).join("\n"))
      const file = write(d, "f.json", JSON.stringify(audit([capability({ path: "d.jsonl", limit: 2, stratifyBy: "subjet" })])))
      expectRefused(yield* failure(file), file, "evaluations[0].dataset.stratifyBy", "subjet")
    })
  )

  it.effect("a directory as a dataset", () =>
    Effect.gen(function* () {
      const d = dir()
      mkdirSync(join(d, "data.jsonl"))
      const file = write(d, "a.json", JSON.stringify(audit([capability({ path: "data.jsonl" })])))
      expectRefused(yield* failure(file), file, "evaluations[0].dataset.path", "not a regular file")
    })
  )
})
