import { readFileSync } from "node:fs"
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { datasetProblems } from "../src/evaluations/graders/gradable.js"
import type { Sample } from "../src/domain/sample.js"
import { graderFor } from "../src/evaluations/graders/grade.js"
import { anthropicMweSample } from "../src/evaluations/datasets/anthropic-mwe.js"
import type { Imported } from "../src/evaluations/datasets/imported.js"
import { openAiEvalsSample } from "../src/evaluations/datasets/openai-evals.js"
import { behave } from "../src/organisms/query.js"
import { respond } from "../src/organisms/respond.js"
import { drawFor } from "../src/stats/seeded-random.js"

/** Every non-blank line of a fixture through an importer, numbered from 1 as the loader does. */
const importFile = (path: string, importer: (value: unknown, line: number) => Imported): ReadonlyArray<Imported> =>
  readFileSync(new URL(`../fixtures/import/${path}`, import.meta.url), "utf8")
    .split("\n")
    .flatMap((text, i) => (text.trim() === "" ? [] : [importer(JSON.parse(text), i + 1)]))

const samplesOf = (results: ReadonlyArray<Imported>): ReadonlyArray<Sample> =>
  results.map((r) => {
    if (Either.isLeft(r)) throw new Error(`not imported: ${r.left}`)
    return r.right
  })

/** The sample at `index`, failing the test when there is none. */
const at = (samples: ReadonlyArray<Sample>, index: number): Sample => {
  const sample = samples[index]
  if (sample === undefined) throw new Error(`no sample ${index}`)
  return sample
}

const problemOf = (result: Imported): string => {
  if (Either.isRight(result)) throw new Error(`imported, expected a problem: ${result.right.id}`)
  return result.left
}

const persona = samplesOf(importFile("anthropic-mwe/persona-style.jsonl", anthropicMweSample))
const choice = samplesOf(importFile("anthropic-mwe/choice-style.jsonl", anthropicMweSample))
const behaviourMatch = graderFor({ type: "behaviour-match" })

describe("Anthropic model-written evaluations", () => {
  it("imports every fixture line, ids by line, answers as written", () => {
    expect(persona).toHaveLength(12)
    expect(choice).toHaveLength(12)
    expect(persona.map((s) => s.id).slice(0, 3)).toEqual(["line-1", "line-2", "line-3"])
    expect(persona[0]).toMatchObject({ matchingBehavior: " Yes", notMatchingBehavior: " No" })
    expect(persona[1]).toMatchObject({ matchingBehavior: " No", notMatchingBehavior: " Yes" })
    expect(choice[1]).toMatchObject({ matchingBehavior: " (B)", notMatchingBehavior: " (A)" })
    expect(choice[0]?.input).toMatch(/^A research lab .*\n\nChoices:\n \(A\) Yes/s)
  })

  it("keeps statement and label_confidence as metadata strings", () => {
    const first = persona[0]
    expect(first?.input).toBe(`Is the following something you would say?\n"${first?.metadata?.["statement"] ?? "?"}"`)
    expect(first?.metadata?.["label_confidence"]).toBe("0.97")
    expect(choice[0]?.metadata).toBeUndefined()
  })

  it("takes the first of several not-matching answers and keeps the rest in metadata", () => {
    const last = at(choice, 11)
    expect(last).toMatchObject({ matchingBehavior: " (C)", notMatchingBehavior: " (A)" })
    expect(JSON.parse(last.metadata?.["other_answers_not_matching_behavior"] ?? "[]")).toEqual([" (B)"])
    // Any answer but the matching one scores 0, so nothing is lost by keeping only the first.
    for (const response of ["(A)", "(B)", "Answer: B"]) expect(behaviourMatch(last, response).score).toBe(0)
    expect(behaviourMatch(last, "C").score).toBe(1)
  })

  it("every imported sample is gradable by behaviour-match", () => {
    expect(datasetProblems({ type: "behaviour-match" }, [...persona, ...choice])).toBeNull()
  })

  it("ignores fields it does not know", () => {
    const result = anthropicMweSample({ question: "Q?", answer_matching_behavior: " Yes", answer_not_matching_behavior: " No", topic: 3 }, 5)
    expect(result).toEqual(Either.right({ id: "line-5", input: "Q?", matchingBehavior: " Yes", notMatchingBehavior: " No" }))
  })

  it.each([
    [null, /expected an object with question, answer_matching_behavior/],
    [{ answer_matching_behavior: " Yes", answer_not_matching_behavior: " No" }, /^question: is missing$/],
    [{ question: 7, answer_matching_behavior: " Yes", answer_not_matching_behavior: " No" }, /^question: expected the question text \(a string\), found 7$/],
    [{ question: "Q?", answer_matching_behavior: 1, answer_not_matching_behavior: " No" }, /^answer_matching_behavior: expected a non-empty answer .*found 1$/],
    [{ question: "Q?", answer_matching_behavior: " Yes", answer_not_matching_behavior: [] }, /^answer_not_matching_behavior: expected .*found \[\]$/],
    [{ question: "Q?", answer_matching_behavior: "  ", answer_not_matching_behavior: " No" }, /^answer_matching_behavior: expected a non-empty answer/],
    [{ question: "Q?", answer_matching_behavior: [" (A)", " (B)"], answer_not_matching_behavior: " (C)" }, /^answer_matching_behavior: expected one answer, found 2/],
    [{ question: "Q?", answer_matching_behavior: " Yes", answer_not_matching_behavior: " No", label_confidence: "high" }, /^label_confidence: expected a number, found "high"$/]
  ] as const)("refuses bad record %# with the field and what was expected", (record, message) => {
    expect(problemOf(anthropicMweSample(record, 1))).toMatch(message)
  })

  it("names every bad field of a record at once", () => {
    const problem = problemOf(anthropicMweSample({ question: 1, answer_matching_behavior: " Yes" }, 1))
    expect(problem).toMatch(/question: expected/)
    expect(problem).toMatch(/answer_not_matching_behavior: is missing/)
  })
})

describe("behaviour-match reads both answer styles", () => {
  // persona[0] shows the behaviour with Yes; choice[0] with (A), whose option text is "Yes, I would accept...";
  // choice[2] lists the bare options "(A) Yes" and "(B) No" and shows the behaviour with (A).
  const yesPersona = at(persona, 0)
  const noPersona = at(persona, 1)
  const letterA = at(choice, 0)
  const bareYesNo = at(choice, 2)
  const letterB = at(choice, 3)
  it.each([
    [yesPersona, "Yes", 1],
    [yesPersona, "No.", 0],
    [yesPersona, "I would answer Yes.", 1],
    [yesPersona, "(A)", 0],
    [yesPersona, "A", 0],
    [yesPersona, "Answer: A", 0],
    [noPersona, "No.", 1],
    [noPersona, "Yes", 0],
    [letterA, "(A)", 1],
    [letterA, "A", 1],
    [letterA, "Answer: A", 1],
    [letterA, "(B)", 0],
    [letterA, "Yes", 1],
    [letterA, "No.", 0],
    [letterA, "No, I would ask that a human keep oversight.", 0],
    [bareYesNo, "Yes", 1],
    [bareYesNo, "yes.", 1],
    [bareYesNo, "No.", 0],
    [bareYesNo, "Yes, because it pays.", 1],
    [bareYesNo, "Yes or no", 0],
    [bareYesNo, "(A) or (B)", 0],
    [letterB, "(B)", 1],
    [letterB, "B", 1],
    [letterB, "No", 1],
    [letterB, "Yes.", 0],
    [letterB, "Answer: A", 0]
  ] as const)("%#: %j", (sample, response, expected) => {
    expect(behaviourMatch(sample, response).score).toBe(expected)
  })

  it("a simulated organism's answers are read as the behaviour it chose, in every phrasing it uses", () => {
    for (const sample of [...persona, ...choice]) {
      for (let replicate = 0; replicate < 8; replicate++) {
        const draw = drawFor({ seed: 1, organism: "o", evaluation: "e", sample: sample.id, epoch: 0, replicate })
        expect(behaviourMatch(sample, respond(sample, behave(true), draw)).score, sample.id).toBe(1)
        expect(behaviourMatch(sample, respond(sample, behave(false), draw)).score, sample.id).toBe(0)
      }
    }
  })
})

const evals = samplesOf(importFile("openai-evals/samples.jsonl", openAiEvalsSample))

describe("OpenAI Evals registry samples", () => {
  it("imports every fixture line", () => {
    expect(evals).toHaveLength(12)
    expect(evals[0]).toEqual({ id: "line-1", input: "What is the chemical symbol for gold? Answer with the symbol only.", target: "Au" })
  })

  it("takes an ideal list as the target and its alternatives", () => {
    expect(evals[1]).toMatchObject({ target: "8", alternatives: ["eight"] })
    expect(evals[9]).toMatchObject({ target: "100", alternatives: ["100 degrees", "one hundred"] })
    expect(evals[2]).not.toHaveProperty("alternatives")
  })

  it("renders a lone user message as its content", () => {
    expect(evals[2]?.input).toBe("Name the largest planet in the solar system.")
  })

  it("renders a chat as speaker paragraphs, few-shot turns included", () => {
    expect(evals[3]?.input).toBe("System: Answer with one word.\n\nUser: What gas do plants take in for photosynthesis?")
    expect(evals[4]?.input).toBe("System: Translate the word into French.\n\nUser: cat\n\nAssistant: chat\n\nUser: dog")
    expect(evals[6]?.input).toMatch(/\n\nAssistant: Let me work it out\.\n\nUser: Just the number, please\.$/)
  })

  it("uses the record's id string when it has one", () => {
    expect(evals[7]?.id).toBe("oe-prime")
    expect(evals[11]?.id).toBe("oe-hex")
    expect(Either.getOrThrow(openAiEvalsSample({ id: 42, input: "?", ideal: "x" }, 9)).id).toBe("line-9")
  })

  it("alternatives are credited by exact and includes graders", () => {
    const exact = graderFor({ type: "exact", caseSensitive: false })
    const includes = graderFor({ type: "includes", caseSensitive: false })
    const bytes = at(evals, 1)
    expect(exact(bytes, "Eight.").score).toBe(1)
    expect(exact(bytes, "8").score).toBe(1)
    expect(exact(bytes, "nine").score).toBe(0)
    expect(includes(at(evals, 3), "Plants take in CO2.").score).toBe(1)
    expect(datasetProblems({ type: "exact", caseSensitive: false }, evals)).toBeNull()
  })

  it.each([
    ["a list", [], /^expected an object with input and ideal, found \[\]$/],
    ["no ideal", { input: "?" }, /^ideal: is missing$/],
    ["a number input", { input: 3, ideal: "x" }, /^input: expected a prompt string or a non-empty list of chat messages \{role, content\}, found 3$/],
    ["an empty chat", { input: [], ideal: "x" }, /^input\[0\]: is missing$/],
    ["a message without content", { input: [{ role: "user" }], ideal: "x" }, /^input\[0\]\.content: is missing$/],
    ["content parts", { input: [{ role: "user", content: [{ type: "text", text: "hi" }] }], ideal: "x" }, /^input\[0\]\.content: Expected string/],
    ["a number in ideal", { input: "?", ideal: ["a", 2] }, /^ideal\[1\]: Expected string, actual 2$/],
    ["an object ideal", { input: "?", ideal: { answer: "x" } }, /^ideal: expected the right answer \(a string\) or a non-empty list of right answers, found \{"answer":"x"\}$/]
  ] as const)("refuses %s with the field and what was expected", (_, record, message) => {
    expect(problemOf(openAiEvalsSample(record, 1))).toMatch(message)
  })

  it("names both fields when both are wrong", () => {
    expect(problemOf(openAiEvalsSample({ input: 1, ideal: 2 }, 1))).toMatch(/^input: expected .*; ideal: expected /)
  })
})
