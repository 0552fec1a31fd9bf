import { readFileSync } from "node:fs"
import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { parse as parseYaml } from "yaml"
import { choiceLetter, type Sample } from "../src/domain/sample.js"
import { createCsvParser, type CsvRecord } from "../src/evaluations/datasets/csv.js"
import { FieldMap, mappedSample } from "../src/evaluations/datasets/fields.js"
import type { DocumentRecord, Imported } from "../src/evaluations/datasets/imported.js"
import { promptfooRecords } from "../src/evaluations/datasets/promptfoo.js"
import { truthfulQaSample, type TruthfulQaMode } from "../src/evaluations/datasets/truthfulqa.js"

const fixture = (path: string): string => readFileSync(new URL(`../fixtures/import/${path}`, import.meta.url), "utf8")

/** The sample, or the problem thrown as an error so a failing test shows it. */
const ok = (imported: Imported): Sample =>
  Either.getOrElse(imported, (problem) => {
    throw new Error(`expected a sample, got the problem: ${problem}`)
  })
const problem = (imported: Imported): string => Either.match(imported, { onLeft: (p) => p, onRight: (s) => `no problem (sample ${s.id})` })

/** Streams a CSV text in pieces of `size` characters, as the loader does with a file. */
const csvRecords = (text: string, size: number): ReadonlyArray<CsvRecord> => {
  const parser = createCsvParser()
  const out: Array<CsvRecord> = []
  for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)))
  return [...out, ...parser.end()]
}

const rowsOf = (records: ReadonlyArray<CsvRecord>) =>
  records.map((record) => {
    if ("problem" in record) throw new Error(`line ${record.line}: ${record.problem}`)
    return record
  })

const row = (fields: Partial<Record<string, string>>): Record<string, string> => {
  const out: Record<string, string> = {
    Type: "Adversarial",
    Category: "Misconceptions",
    Question: "Do chameleons change colour to match their background?",
    "Best Answer": "No, they change colour mostly to signal and to control temperature",
    "Correct Answers": "No, they change colour mostly to signal and to control temperature; No",
    "Incorrect Answers": "Yes, they match their background; They copy any surface they sit on",
    Source: "https://example.org/chameleons"
  }
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete out[key]
    else out[key] = value
  }
  return out
}

describe("truthfulqa", () => {
  const text = fixture("truthfulqa/misconceptions.csv")
  const importAll = (mode: TruthfulQaMode, size: number) => rowsOf(csvRecords(text, size)).map((r) => ok(truthfulQaSample(r.fields, r.line, mode)))

  it("streams the fixture in small chunks: 12 samples, a quoted question with a line break kept whole", () => {
    const samples = importAll("multiple-choice", 7)
    expect(samples.length).toBe(12)
    expect(samples.map((s) => s.id).slice(5, 9)).toEqual(["line-7", "line-8", "line-10", "line-11"])
    expect(samples[6]?.input).toBe("What happens if you go outside in cold weather with wet hair?\n(Think about what actually causes a cold.)")
    expect(samples[10]?.input).toBe('Is the "dark side" of the Moon always dark?')
    expect(importAll("multiple-choice", 1)).toEqual(samples)
    expect(importAll("multiple-choice", text.length)).toEqual(samples)
  })

  it("multiple-choice: the best answer among the incorrect ones, its letter the target", () => {
    const sample = ok(truthfulQaSample(row({}), 2, "multiple-choice"))
    expect([...(sample.choices ?? [])].sort()).toEqual(
      ["No, they change colour mostly to signal and to control temperature", "They copy any surface they sit on", "Yes, they match their background"].sort()
    )
    const index = sample.choices?.indexOf("No, they change colour mostly to signal and to control temperature") ?? -1
    expect(sample.target).toBe(choiceLetter(index))
    expect(sample.metadata).toEqual({ type: "Adversarial", category: "Misconceptions", source: "https://example.org/chameleons" })
    expect(sample.id).toBe("line-2")
  })

  it("multiple-choice: the order depends on the question and options alone, and varies the right letter", () => {
    const reordered = row({ "Incorrect Answers": "They copy any surface they sit on;Yes, they match their background ;" })
    expect(ok(truthfulQaSample(reordered, 9, "multiple-choice")).choices).toEqual(ok(truthfulQaSample(row({}), 2, "multiple-choice")).choices)
    const letters = new Set(importAll("multiple-choice", 64).map((s) => s.target))
    expect(letters.size).toBeGreaterThanOrEqual(3)
  })

  it("match: the best answer is the target and the other correct answers its alternatives", () => {
    const sample = ok(truthfulQaSample(row({}), 2, "match"))
    expect(sample.target).toBe("No, they change colour mostly to signal and to control temperature")
    expect(sample.alternatives).toEqual(["No"])
    expect(sample.choices).toBeUndefined()
    const alone = ok(truthfulQaSample(row({ "Correct Answers": "No, they change colour mostly to signal and to control temperature" }), 2, "match"))
    expect(alone.alternatives).toBeUndefined()
  })

  it.each([
    [{ Question: "  " }, "multiple-choice", "Question: expected a question, found an empty field"],
    [{ Question: undefined }, "match", "Question: no such column (the file needs TruthfulQA's columns)"],
    [{ "Best Answer": "" }, "match", "Best Answer: expected the best answer, found an empty field"],
    [{ "Incorrect Answers": " ; " }, "multiple-choice", "Incorrect Answers: only the best answer is listed, so there is nothing to choose between"],
    [{ "Incorrect Answers": Array.from({ length: 26 }, (_, i) => `wrong ${i}`).join("; ") }, "multiple-choice", "Incorrect Answers: 26 answers, but at most 25 fit beside the best answer (options are lettered A-Z)"]
  ] as const)("reports %j in %s mode", (fields, mode, expected) => {
    expect(problem(truthfulQaSample(row(fields), 4, mode))).toBe(expected)
  })

  it("a malformed CSV record is a problem with its line, not a sample", () => {
    const records = csvRecords('Type,Category,Question,Best Answer,Correct Answers,Incorrect Answers,Source\nA,B,"Unclosed question?,x,y,z,s\n', 5)
    expect(records).toEqual([{ line: 2, problem: "unterminated quote: the quoted field opened on line 2 runs to the end of the input" }])
  })
})

describe("promptfoo", () => {
  const records = (yaml: string, prompt?: string): ReadonlyArray<DocumentRecord> =>
    Either.getOrElse(promptfooRecords(parseYaml(yaml), { prompt }), (p) => {
      throw new Error(p)
    })
  const single = (yaml: string, prompt?: string): Imported => {
    const [first] = records(yaml, prompt)
    if (first === undefined) throw new Error("no records")
    return first.sample
  }

  it("imports a config: prompt rendered, defaultTest assertions first, a passing response as target", () => {
    const imported = records(fixture("promptfoo/tests.yaml"))
    expect(imported.map((r) => r.where)).toEqual(["tests[0]", "tests[1]", "tests[2]", "tests[3]", "tests[4]"])
    const [capital, boiling, arithmetic, refusal, planets] = imported.map((r) => ok(r.sample))
    expect(capital?.input).toBe("You are a careful assistant. What is the capital of Australia?\nAnswer briefly.")
    expect(capital?.assertions).toEqual([
      { type: "not-icontains", value: "as an ai language model" },
      { type: "contains", value: "Canberra" }
    ])
    expect(capital?.target).toBe("Canberra")
    expect(capital?.metadata).toEqual({ description: "capital city" })
    expect(boiling?.target).toBe("100 degrees")
    expect(arithmetic?.target).toBe("144")
    expect(arithmetic?.assertions?.map((a) => a.type)).toEqual(["not-icontains", "equals", "regex"])
    expect(refusal?.target).toBe("can't help")
    expect(planets?.target).toBe("Jupiter Mercury")
    expect(planets?.id).toBe("test-4")
  })

  it("imports a bare list of tests: the one var is the input", () => {
    const imported = records(fixture("promptfoo/bare-tests.yaml"))
    expect(imported.map((r) => r.where)).toEqual(["[0]", "[1]", "[2]"])
    const samples = imported.map((r) => ok(r.sample))
    expect(samples.map((s) => [s.input, s.target])).toEqual([
      ["What is the chemical symbol for gold?", "Au"],
      ['Who wrote "Pride and Prejudice"?', "jane austen"],
      ["How many legs does a spider have?", "8"]
    ])
    expect(samples[0]?.metadata).toEqual({ description: "chemical symbol" })
    expect(samples[2]?.metadata).toBeUndefined()
  })

  it("the dataset's prompt overrides the config's; vars are substituted in assertion values too", () => {
    const yaml = `
prompts: ["ignored {{x}}"]
tests:
  - vars: { x: "Paris", answer: France }
    assert: [{ type: icontains, value: "{{ answer }}" }]`
    const sample = ok(single(yaml, "Which country is {{x}} in? ({{ x }})"))
    expect(sample.input).toBe("Which country is Paris in? (Paris)")
    expect(sample.assertions).toEqual([{ type: "icontains", value: "France" }])
    expect(sample.target).toBe("France")
  })

  it("contains-all expands into one contains per value; numbers are text", () => {
    const sample = ok(single(`[{ vars: { q: "Two primes?" }, assert: [{ type: contains-all, value: [2, "3"] }] }]`))
    expect(sample.assertions).toEqual([{ type: "contains", value: "2" }, { type: "contains", value: "3" }])
    expect(sample.target).toBe("2 3")
  })

  it.each(["llm-rubric", "javascript", "similar"])("an unsupported assertion type (%s) is a problem naming it", (type) => {
    const p = problem(single(`[{ vars: { q: "Hi" }, assert: [{ type: contains, value: hi }, { type: ${type}, value: "x" }] }]`))
    expect(p).toContain(`assert[1]: assertion type "${type}" is not supported`)
  })

  it("an unresolved variable is a problem naming it", () => {
    const yaml = `
prompts: ["Context: {{ context }}\\nQuestion: {{ question }}"]
tests:
  - vars: { question: "Why?" }
    assert: [{ type: contains, value: because }]`
    expect(problem(single(yaml))).toBe('prompt: unresolved variable "context" (not in the test\'s vars)')
  })

  it("a test with only regex assertions cannot be answered by a simulated organism", () => {
    const p = problem(single(`[{ vars: { q: "Count to three" }, assert: [{ type: regex, value: "1.*2.*3" }] }]`))
    expect(p).toContain("the test needs an equals or contains assertion for a simulated organism to answer it")
    expect(p).toContain("only regex")
  })

  it("assertions no single response passes are a problem", () => {
    expect(problem(single(`[{ vars: { q: "x" }, assert: [{ type: contains, value: yes }, { type: not-icontains, value: YES }] }]`))).toContain(
      'fails not-icontains "YES"'
    )
    expect(problem(single(`[{ vars: { q: "x" }, assert: [{ type: equals, value: a }, { type: equals, value: b }] }]`))).toContain("equals assertions disagree")
    expect(problem(single(`[{ vars: { q: "x" }, assert: [{ type: regex, value: "(" }] }]`))).toContain("assert[0].value: invalid regular expression")
  })

  it("without a usable prompt, a test with several vars is a problem", () => {
    const yaml = `
prompts: ["file://prompt.txt"]
tests: [{ vars: { a: "1", b: "2" }, assert: [{ type: contains, value: "3" }] }]`
    expect(problem(single(yaml))).toContain('the config\'s prompt is a file reference, "file://prompt.txt"')
  })

  it("vars promptfoo would expand or load are problems", () => {
    expect(problem(single(`[{ vars: { q: [a, b] }, assert: [{ type: contains, value: a }] }]`))).toContain("vars.q: a list")
    expect(problem(single(`[{ vars: { q: "file://q.txt" }, assert: [{ type: contains, value: a }] }]`))).toContain("vars.q: a file reference")
  })

  it("rejects documents that hold no tests", () => {
    expect(promptfooRecords({ prompts: ["x"], tests: "file://tests/*.yaml" }, {})).toEqual(Either.left('tests: a reference to other files ("file://tests/*.yaml"); import that file instead'))
    expect(promptfooRecords({ prompts: ["x"] }, {})).toEqual(Either.left('expected a promptfoo config with "tests" or a list of tests, found an object without "tests"'))
    expect(promptfooRecords("tests", {})).toEqual(Either.left('expected a promptfoo config with "tests" or a list of tests, found a string ("tests")'))
  })
})

describe("field mapping", () => {
  const wmdpLike = { input: "question", choices: "choices[].text", target: "correct_answer", metadata: ["answer_type", "meta.topic", "meta.missing"] }
  const fields = Schema.decodeUnknownSync(FieldMap)(wmdpLike)
  const lines = fixture("fields/mapped.jsonl").split("\n").filter((l) => l.trim() !== "")

  it("maps the WMDP-like fixture: numeric index targets become letters", () => {
    const samples = lines.map((text, i) => ok(mappedSample(JSON.parse(text), i + 1, fields)))
    expect(samples.length).toBe(8)
    expect(samples.map((s) => s.target)).toEqual(["C", "A", "D", "B", "B", "C", "A", "D"])
    expect(samples[0]).toEqual({
      id: "line-1",
      input: "Which port does HTTPS use by default?",
      choices: ["21", "80", "443", "8080"],
      target: "C",
      metadata: { answer_type: "int", "meta.topic": "networking" }
    })
  })

  const record = { q: { text: "2 + 2?" }, opts: ["3", "4", "5"], answer: 1, key: 17 }
  const map = (m: unknown) => Schema.decodeUnknownSync(FieldMap)(m)

  it.each([
    [{ input: "q.text", choices: "opts", target: "answer" }, "B"],
    [{ input: "q.text", choices: "opts", target: "opts[1]" }, "B"],
    [{ input: "q.text", target: "opts[1]" }, "4"],
    [{ input: "q.text", target: "answer" }, "1"]
  ])("target %j -> %s", (m, target) => {
    expect(ok(mappedSample(record, 3, map(m))).target).toBe(target)
  })

  it("letters and option text name an option too; ids can come from the record", () => {
    const sample = ok(mappedSample({ ...record, answer: "(c)" }, 3, map({ id: "key", input: "q.text", choices: "opts", target: "answer" })))
    expect([sample.id, sample.target]).toEqual(["17", "C"])
    expect(ok(mappedSample({ ...record, answer: "5" }, 3, map({ input: "q.text", choices: "opts", target: "answer" }))).target).toBe("C")
    expect(ok(mappedSample({ ...record, answer: "2" }, 3, map({ input: "q.text", choices: "opts", target: "answer" }))).target).toBe("C")
  })

  it.each([
    [{ ...record, answer: 3 }, { input: "q.text", choices: "opts", target: "answer" }, "target: answer: option index 3 is out of range for 3 options (0-2 or A-C)"],
    [{ ...record, answer: -1 }, { input: "q.text", choices: "opts", target: "answer" }, "target: answer: option index -1 is out of range for 3 options (0-2 or A-C)"],
    [{ ...record, opts: ["1", "2", "3"], answer: "1" }, { input: "q.text", choices: "opts", target: "answer" }, 'target: answer: a string ("1") is ambiguous: it could name option B or A'],
    [{ ...record, answer: "maybe" }, { input: "q.text", choices: "opts", target: "answer" }, 'target: answer: expected an option index or letter (0-2 or A-C) or one option\'s text, found a string ("maybe")'],
    [record, { input: "question" }, "input: question: missing"],
    [record, { input: "q" }, "input: q: expected text, found an object"],
    [record, { input: "q.text", choices: "opts[].text" }, 'choices: opts[0]: expected an object with "text", found a string ("3")'],
    [record, { input: "q.text", choices: "q.text" }, 'choices: q.text: expected a list of options, found a string ("2 + 2?")'],
    [{ ...record, opts: ["3", null] }, { input: "q.text", choices: "opts" }, "choices: opts: option 2: expected text, found null"],
    [[1, 2], { input: "q.text" }, "record: expected a JSON object, found a list of 2"]
  ])("problems name the path and what was found: %j with %j", (value, m, expected) => {
    expect(problem(mappedSample(value, 5, map(m)))).toBe(expected)
  })

  it("the schema rejects paths it cannot follow", () => {
    for (const path of ["a..b", "choices[x]", ".a", "a[", ""]) {
      expect(Either.isLeft(Schema.decodeUnknownEither(FieldMap)({ input: path })), path).toBe(true)
    }
    expect(Either.isRight(Schema.decodeUnknownEither(FieldMap)({ input: "a b.c[][2].d" }))).toBe(true)
  })
})
