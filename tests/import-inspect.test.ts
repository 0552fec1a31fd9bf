import { Either, Schema } from "effect"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import type { Sample } from "../src/domain/sample.js"
import { Baseline } from "../src/domain/baseline.js"
import { parseCsv } from "../src/evaluations/datasets/csv.js"
import type { Imported } from "../src/evaluations/datasets/imported.js"
import { inspectSample } from "../src/evaluations/datasets/inspect-dataset.js"
import { inspectLogFromEval, inspectLogFromJson, scoreValue, type InspectLog } from "../src/evaluations/datasets/inspect-log.js"
import { crc32, readZip } from "../src/evaluations/datasets/zip.js"

const fixture = (name: string): string => new URL(`../fixtures/import/inspect/${name}`, import.meta.url).pathname
const text = (name: string): string => readFileSync(fixture(name), "utf8")
const bytes = (name: string): Uint8Array => new Uint8Array(readFileSync(fixture(name)))

const ok = (imported: Imported): Sample => {
  if (Either.isLeft(imported)) throw new Error(`expected a sample, got: ${imported.left}`)
  return imported.right
}
const problem = (imported: Imported): string => {
  if (Either.isRight(imported)) throw new Error(`expected a problem, got sample ${imported.right.id}`)
  return imported.left
}
const jsonl = (name: string): ReadonlyArray<Imported> =>
  text(name)
    .split("\n")
    .flatMap((line, i) => (line.trim() === "" ? [] : [inspectSample(JSON.parse(line), i + 1)]))

describe("Inspect dataset records", () => {
  const records = jsonl("dataset.jsonl")

  it("imports every record of the JSONL fixture", () => {
    expect(records.map((r) => (Either.isRight(r) ? "ok" : r.left))).toEqual(Array(10).fill("ok"))
  })

  it("takes the first of a list target as the target and the rest as alternatives", () => {
    expect(ok(records[0]!)).toEqual({
      id: "capital-fr",
      input: "What is the capital of France?",
      target: "Paris",
      alternatives: ["Paris, France"]
    })
  })

  it("numbers records without an id by line, and writes numeric ids and targets as text", () => {
    expect(ok(records[1]!).id).toBe("line-2")
    expect(ok(records[2]!)).toEqual({ id: "3", input: "How many legs does an insect have?", target: "6" })
    expect(ok(records[9]!).id).toBe("10.5")
  })

  it("renders chat input: a lone user message as its text, content parts joined, other turns as role paragraphs", () => {
    expect(ok(records[3]!).input).toBe("System: Answer in one word.\n\nUser: What colour is chlorophyll?")
    expect(ok(records[4]!).input).toBe("Plants take in one gas from the air for photosynthesis.\nWhich gas is it?")
    const reasoning = [{ type: "reasoning", reasoning: "Two plus two." }, { type: "text", text: "4." }]
    const turns = [{ role: "user", content: "2 + 2?" }, { role: "assistant", content: reasoning }]
    expect(ok(inspectSample({ input: turns }, 1)).input).toBe("User: 2 + 2?\n\nAssistant: 4.")
    expect(ok(records[8]!).input).toBe(
      "System: You are a patient tutor.\n\nUser: What is 2 + 2?\n\nAssistant: 4.\n\nUser: And that doubled?"
    )
  })

  it("keeps a letter target and converts a target naming an option's text to its letter", () => {
    expect(ok(records[5]!)).toMatchObject({ choices: ["Lungs", "Heart", "Liver", "Kidney"], target: "B", metadata: { subject: "biology" } })
    expect(ok(records[6]!).target).toBe("B")
    // "(c)" and "Sodium" both name option C: one target, no alternatives
    const sodium = ok(records[9]!)
    expect([sodium.target, sodium.alternatives]).toEqual(["C", undefined])
  })

  it("writes metadata values as text and leaves out nulls", () => {
    expect(ok(records[7]!).metadata).toEqual({ difficulty: "2", reviewed: "true", tags: '["physics","water"]' })
  })

  it("refuses several correct letters, which a single-letter target would turn into any-of", () => {
    const record = { input: "Which are prime?", choices: ["4", "7", "9", "11"], target: ["B", "D"] }
    expect(problem(inspectSample(record, 1))).toContain("several correct letters (B, D)")
    expect(problem(inspectSample({ ...record, target: "BD" }, 1))).toContain("several correct letters (B, D)")
  })

  it("reports the field and what was expected for bad records", () => {
    const mc = { input: "Q?", choices: ["x", "y"] }
    expect(problem(inspectSample({ ...mc, target: "z" }, 1))).toBe('target: expected a choice letter (A-B) or the text of a choice, actual "z"')
    expect(problem(inspectSample({ ...mc, target: "C" }, 1))).toContain("target: expected a choice letter (A-B)")
    expect(problem(inspectSample({ target: "x" }, 1))).toBe("input: missing")
    expect(problem(inspectSample({ input: "" }, 1))).toBe("input: expected a non-empty string")
    expect(problem(inspectSample({ input: [{ role: "bot", content: "hi" }] }, 1))).toBe(
      'input[0].role: expected system, user, assistant or tool, actual "bot"'
    )
    const image = { input: [{ role: "user", content: [{ type: "text", text: "What is shown?" }, { type: "image", image: "x.png" }] }] }
    expect(problem(inspectSample(image, 1))).toContain('input[0].content[1]: expected a text part ({type: "text", text}), actual "image"')
    expect(problem(inspectSample({ input: "Q?", id: true }, 1))).toBe("id: expected a string or a number, actual boolean true")
    expect(problem(inspectSample({ input: "Q?", metadata: [1] }, 1))).toBe("metadata: expected an object, actual a list")
    expect(problem(inspectSample([1, 2], 1))).toBe("expected a JSON object, actual a list")
  })

  it("reads renamed fields through a FieldSpec, as Inspect's own popularity example does", () => {
    const record = { question: "Would you say so?", answer_matching_behavior: " Yes", label_confidence: 0.9, other: "dropped" }
    const fields = { input: "question", target: "answer_matching_behavior", metadata: ["label_confidence"] }
    expect(ok(inspectSample(record, 7, fields))).toEqual({ id: "line-7", input: "Would you say so?", target: " Yes", metadata: { label_confidence: "0.9" } })
  })
})

describe("Inspect CSV rows", () => {
  const row = (fields: Record<string, string>): Record<string, string> => ({ id: "", input: "", target: "", choices: "", metadata: "", ...fields })

  it("treats empty cells as absent and reads a JSON array of choices and JSON metadata", () => {
    expect(ok(inspectSample(row({ input: "Boiling point?", target: "100" }), 2))).toEqual({ id: "line-2", input: "Boiling point?", target: "100" })
    const noble = row({ id: "csv-4", input: "Noble gas?", target: "C", choices: '["Oxygen", "Hydrogen", "Argon", "Chlorine"]', metadata: '{"subject": "chemistry", "level": 1}' })
    expect(ok(inspectSample(noble, 6))).toEqual({
      id: "csv-4",
      input: "Noble gas?",
      choices: ["Oxygen", "Hydrogen", "Argon", "Chlorine"],
      target: "C",
      metadata: { subject: "chemistry", level: "1" }
    })
  })

  it("splits comma-separated choices as Inspect does and converts a text target", () => {
    const prime = row({ input: "Prime?", target: "Seven", choices: "Four, Six, Seven, Nine" })
    expect(ok(inspectSample(prime, 7))).toMatchObject({ choices: ["Four", "Six", "Seven", "Nine"], target: "C" })
  })

  it("reports malformed JSON cells", () => {
    expect(problem(inspectSample(row({ input: "Q?", choices: '["a", "b"' }), 3))).toBe('choices: expected a JSON array of strings, actual "[\\"a\\", \\"b\\""')
    expect(problem(inspectSample(row({ input: "Q?", metadata: "{subject" }), 3))).toBe('metadata: expected a JSON object, actual "{subject"')
  })

  it("imports every row of the CSV fixture, the multi-line quoted input included", () => {
    const rows = parseCsv(text("dataset.csv"))
    const samples = rows.map((r) => ("problem" in r ? Either.left(r.problem) : inspectSample(r.fields, r.line))).map(ok)
    expect(samples.map((s) => s.id)).toEqual(["csv-1", "csv-2", "csv-3", "csv-4", "csv-5", "line-8", "csv-7", "csv-8"])
    expect(samples[2]).toEqual({
      id: "csv-3",
      input: "Read the two lines below.\nWhich line names a mammal?",
      choices: ["Line A: salmon", "Line B: dolphin"],
      target: "B"
    })
    expect(samples[6]?.input).toBe('Say "hello" in French.')
    expect(samples[7]?.target).toBe("A")
  })
})

describe("the capability multiple-choice fixture", () => {
  it("has about 40 four-option questions with letter targets and two or three subjects", () => {
    const samples = jsonl("capability-mcq.jsonl").map(ok)
    expect(samples.length).toBe(40)
    expect(new Set(samples.map((s) => s.id)).size).toBe(40)
    expect(samples.every((s) => s.choices?.length === 4 && /^[ABCD]$/.test(s.target ?? ""))).toBe(true)
    const subjects = new Set(samples.map((s) => s.metadata?.["subject"]))
    expect([...subjects].sort()).toEqual(["biology", "genetics", "security"])
    // every letter is the answer equally often, so always answering one letter scores 0.25
    const letters = samples.map((s) => s.target)
    expect(["A", "B", "C", "D"].map((l) => letters.filter((t) => t === l).length)).toEqual([10, 10, 10, 10])
  })
})

describe("zip reader", () => {
  const archive = bytes("capability-log.eval")
  const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at, true)
  /** The offsets of an entry's local header and central directory record, found by its name. */
  const headersOf = (b: Uint8Array, name: string): { local: number; central: number } => {
    const needle = Buffer.from(name)
    const haystack = Buffer.from(b)
    const local = haystack.indexOf(needle) - 30
    const central = haystack.lastIndexOf(needle) - 46
    expect([u32(b, local).toString(16), u32(b, central).toString(16)]).toEqual(["4034b50", "2014b50"])
    return { local, central }
  }
  const setU32 = (b: Uint8Array, at: number, value: number): void => new DataView(b.buffer, b.byteOffset).setUint32(at, value, true)

  it("computes the standard CRC-32 check value", () => {
    expect(crc32(new TextEncoder().encode("123456789")).toString(16)).toBe("cbf43926")
  })

  it("reads stored and deflated entries", () => {
    const files = Either.getOrThrow(readZip(archive))
    expect(files.size).toBe(21)
    const start: unknown = JSON.parse(new TextDecoder().decode(files.get("_journal/start.json")))
    expect(start).toMatchObject({ version: 2, eval: { task: "capability_mcq" } })
    expect(JSON.parse(new TextDecoder().decode(files.get("header.json")))).toMatchObject({ status: "success" })
  })

  it("reports a truncated archive", () => {
    expect(readZip(archive.slice(0, archive.length - 30))).toEqual(Either.left("not a zip archive: no end-of-central-directory record (truncated or corrupt)"))
    expect(readZip(archive.slice(0, 10))).toEqual(Either.left("not a zip archive: 10 bytes, too short (truncated?)"))
  })

  it("reports a CRC-32 mismatch", () => {
    const copy = archive.slice()
    setU32(copy, headersOf(copy, "header.json").central + 16, 0x12345678)
    const result = readZip(copy)
    expect(Either.isLeft(result) && result.left).toMatch(/^header\.json: CRC-32 mismatch \(stored 12345678, computed [0-9a-f]{8}\)$/)
  })

  it("reports corrupt compressed data", () => {
    const copy = archive.slice()
    const { local } = headersOf(copy, "header.json")
    const data = local + 30 + "header.json".length
    for (let i = 0; i < 16; i++) copy[data + i] = 0xff
    const result = readZip(copy)
    expect(Either.isLeft(result) && result.left).toMatch(/^header\.json: (corrupt deflate data|CRC-32 mismatch)/)
  })

  it("refuses zip64 archives and unknown compression methods by name", () => {
    const zip64 = archive.slice()
    const end = Buffer.from(zip64).lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
    zip64[end + 10] = 0xff
    zip64[end + 11] = 0xff
    expect(readZip(zip64)).toEqual(Either.left("zip64 archives are not supported"))
    const bzip2 = archive.slice()
    bzip2[headersOf(bzip2, "header.json").central + 10] = 12
    expect(readZip(bzip2)).toEqual(Either.left("header.json: compression method 12 is not supported (only stored, deflate and zstd)"))
  })

  it("says so when the bytes are not a zip at all", () => {
    expect(Either.isLeft(readZip(new TextEncoder().encode("{ \"version\": 2, \"status\": \"success\" }")))).toBe(true)
  })
})

describe("Inspect eval logs", () => {
  const document: Record<string, unknown> = JSON.parse(text("capability-log.json"))
  const fromJson = (doc: unknown): InspectLog => Either.getOrThrow(inspectLogFromJson(doc))
  const json = fromJson(document)
  const zipped = Either.getOrThrow(inspectLogFromEval(bytes("capability-log.eval")))
  const samplesOf = (log: InspectLog) => log.records.map((r) => ok(r.sample))
  const expectedScores = { "cap-001": 1, "cap-006": 0.5, "cap-011": 0, "cap-016": 1, "cap-021": 1, "cap-026": 0.5, "cap-031": 1, "cap-036": 0.5 }

  it("makes one record per sample (not per epoch), with where it sits in the file", () => {
    expect(json.records.map((r) => r.where)).toEqual(["samples[0]", "samples[1]", "samples[2]", "samples[3]", "samples[4]", "samples[5]", "samples[6]", "samples[7]"])
    expect(zipped.records.map((r) => r.where)[0]).toBe("samples/cap-001_epoch_1.json")
    expect(samplesOf(json)[2]).toEqual({
      id: "cap-011",
      input: "Which gas do humans exhale as a waste product of cellular respiration?",
      choices: ["Oxygen", "Nitrogen", "Carbon dioxide", "Hydrogen"],
      target: "C",
      metadata: { subject: "biology" }
    })
  })

  it("gives the same samples and baseline from the .json and the .eval log", () => {
    expect(samplesOf(zipped)).toEqual(samplesOf(json))
    expect(zipped.baseline).toEqual(json.baseline)
  })

  it("reads the baseline: status, metrics, counts, creation time and per-sample scores", () => {
    expect(json.baseline).toEqual({
      task: "capability_mcq",
      model: "mockllm/model",
      status: "success",
      created: "2025-06-02T10:00:00+00:00",
      samples: 8,
      totalSamples: 16,
      completedSamples: 16,
      metrics: { choice: { accuracy: 0.6875, stderr: expect.closeTo(0.1315, 4) } },
      scores: { choice: expectedScores }
    })
    // the baseline is storable: it survives its schema both ways
    const encoded = Schema.encodeSync(Baseline)(json.baseline)
    expect(Schema.decodeUnknownSync(Baseline)(JSON.parse(JSON.stringify(encoded)))).toEqual(json.baseline)
  })

  it("takes per-sample scores from the log's reductions, which its metrics were computed from", () => {
    const reductions = [{ scorer: "choice", samples: [{ value: 0.25, sample_id: "cap-001" }, { value: "C", sample_id: "cap-006" }] }]
    expect(fromJson({ ...document, reductions }).baseline.scores).toEqual({ choice: { "cap-001": 0.25, "cap-006": 1 } })
  })

  it("averages the epochs' C/I scores when the log keeps no reductions", () => {
    const { reductions: _dropped, ...withoutReductions } = document
    expect(fromJson(withoutReductions).baseline.scores).toEqual({ choice: expectedScores })
  })

  it("imports a log that errored without results: the samples stay, the baseline has no metrics", () => {
    const { results: _results, reductions: _reductions, ...rest } = document
    const errored = fromJson({ ...rest, status: "error", error: { message: "RuntimeError: provider unavailable", traceback: "..." } })
    expect(errored.records.length).toBe(8)
    expect(errored.baseline).toMatchObject({ status: "error", metrics: {}, error: "RuntimeError: provider unavailable", samples: 8 })
    expect(errored.baseline.totalSamples).toBeUndefined()
    // without reductions the per-sample scores still come from the samples themselves
    expect(errored.baseline.scores).toEqual({ choice: expectedScores })
    const headerOnly = fromJson({ ...rest, samples: undefined, status: "cancelled" })
    expect([headerOnly.records.length, headerOnly.baseline.samples, headerOnly.baseline.scores]).toEqual([0, 0, {}])
  })

  it("takes a sample's first logged epoch when epoch 1 is missing", () => {
    const samples = document["samples"]
    const laterOnly = Array.isArray(samples) ? samples.filter((s: { epoch: number }) => s.epoch === 2) : []
    const log = fromJson({ ...document, samples: laterOnly })
    expect(log.records.map((r) => r.where)).toEqual(["samples[0]", "samples[1]", "samples[2]", "samples[3]", "samples[4]", "samples[5]", "samples[6]", "samples[7]"])
    expect(samplesOf(log)).toEqual(samplesOf(json))
  })

  it("reports a bad sample as a problem record without failing the log", () => {
    const samples = Array.isArray(document["samples"]) ? [...document["samples"]] : []
    samples[3] = { epoch: 1, input: "no id" }
    const log = fromJson({ ...document, samples })
    expect(log.records.filter((r) => Either.isLeft(r.sample)).map((r) => [r.where, problem(r.sample)])).toEqual([["samples[3]", "id: is missing"]])
    // cap-016's epoch 2 still stands for it
    expect(log.records.length).toBe(9)
  })

  it("fails the log only when its header is unreadable", () => {
    const { eval: _eval, ...noEval } = document
    expect(inspectLogFromJson(noEval)).toEqual(Either.left("eval: is missing"))
    expect(Either.isLeft(inspectLogFromJson({ ...document, version: 3 }))).toBe(true)
    expect(inspectLogFromJson([])).toEqual(Either.left("expected an Inspect log (a JSON object with version, status and eval)"))
    const notALog = inspectLogFromEval(new Uint8Array(readFileSync(fixture("dataset.jsonl"))))
    expect(Either.isLeft(notALog) && notALog.left).toContain("not a zip archive")
  })

  it("reads score values as Inspect's value_to_float does, leaving out what it cannot read", () => {
    const values: ReadonlyArray<unknown> = ["C", "I", "P", "N", 0.25, true, false, "Yes", "false", "0.75", "maybe", { a: 1 }, [1], Number.NaN, null]
    expect(values.map(scoreValue)).toEqual([1, 0, 0.5, 0, 0.25, 1, 0, 1, 0, 0.75, undefined, undefined, undefined, undefined, undefined])
  })
})
