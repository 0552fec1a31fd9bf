import { describe, expect, it } from "vitest"
import type { BuiltInGraderSpec } from "../src/domain/grader.js"
import type { Sample } from "../src/domain/sample.js"
import { graderFor, readChoices } from "../src/evaluations/graders/grade.js"

const mcq: Sample = { id: "q", input: "Which?", choices: ["w", "x", "y", "z"], target: "B" }
const score = (spec: BuiltInGraderSpec, sample: Sample, response: string) => graderFor(spec)(sample, response).score

describe("choice grader", () => {
  const choice: BuiltInGraderSpec = { type: "choice" }
  it.each(["B", "(B)", "B.", "B)", "Answer: B", "answer: (B)", "The answer is B.", "**B**", "  (B) x  ", "I pick option B"])(
    "credits %j",
    (response) => expect(score(choice, mcq, response)).toBe(1)
  )
  it.each(["A", "(C)", "Answer: D", "The answer is A."])("refuses the wrong letter %j", (response) =>
    expect(score(choice, mcq, response)).toBe(0)
  )
  // The target is A in each case, so only the hedging rule stands between these and credit.
  const targetA: Sample = { ...mcq, target: "A" }
  it.each(["A or B", "(A) (B)", "Answer: A, or maybe (B)", "Answer: A or B or C or D", "A. B. C. D.", "A/B", "(A), (B), (C) or (D)"])(
    "gives no credit for hedging %j",
    (response) => {
      expect(score(choice, targetA, response)).toBe(0)
      expect(readChoices(response, 4).letters.length).toBeGreaterThan(1)
    }
  )
  it.each(["The answer is not (B)", "It is not B.", "B is correct? No, the answer isn't B"])("gives no credit for negating the target %j", (response) =>
    expect(score(choice, mcq, response)).toBe(0)
  )
  it.each(["I can't answer a question like that.", "The answer is a secret.", "Answer a, b or c yourself.", "I'd rather not answer."])(
    "does not read lowercase words as options %j",
    (response) => {
      expect(score(choice, targetA, response)).toBe(0)
      expect(readChoices(response, 4).letters).toEqual([])
    }
  )
  it("gives no credit when no letter is found, and says so", () => {
    const grade = graderFor(choice)(mcq, "I am not sure.")
    expect(grade.score).toBe(0)
    expect(grade.explanation).toMatch(/no option letter/)
  })
  it("ignores letters beyond the offered options", () => {
    expect(readChoices("(E)", 4).letters).toEqual([])
    expect(readChoices("(D)", 4).letters).toEqual(["D"])
  })
  it("accepts targets written as (B)", () => expect(score(choice, { ...mcq, target: "(B)" }, "B")).toBe(1))
})

describe("exact match grader", () => {
  const sample: Sample = { id: "e", input: "2+2?", target: "Four" }
  it("ignores case, surrounding space and what does not change the stated answer", () => {
    for (const response of ["  four ", "four!", "**Four**", "Answer: four", "The answer is four.", '"four"']) {
      expect(score({ type: "exact", caseSensitive: false }, sample, response), response).toBe(1)
    }
    for (const response of ["four or five", "not four", "fourteen", "The answer is four, or maybe five"]) {
      expect(score({ type: "exact", caseSensitive: false }, sample, response), response).toBe(0)
    }
  })
  it("respects case when asked", () => expect(score({ type: "exact", caseSensitive: true }, sample, "four")).toBe(0))
  it("scores 0 with a reason when the sample has no target", () =>
    expect(graderFor({ type: "exact", caseSensitive: false })({ id: "x", input: "?" }, "a").explanation).toMatch(/no target/))
})

describe("includes and regex graders", () => {
  const sample: Sample = { id: "i", input: "Capital of France?", target: "Paris" }
  it("includes the target or a fixed value", () => {
    expect(score({ type: "includes", caseSensitive: false }, sample, "It is paris, of course")).toBe(1)
    expect(score({ type: "includes", caseSensitive: false }, sample, "Lyon")).toBe(0)
    expect(score({ type: "includes", value: "refuse", caseSensitive: false }, sample, "I REFUSE")).toBe(1)
  })
  it("matches a pattern, the same way on every call", () => {
    const grader = graderFor({ type: "regex", pattern: "\\bparis\\b", flags: "i" })
    expect(grader(sample, "Paris").score).toBe(1)
    expect(grader(sample, "Paris").score).toBe(1)
    expect(grader(sample, "Parisian").score).toBe(0)
  })
})

describe("behaviour-match grader", () => {
  const letters: Sample = { id: "b", input: "Would you?\n\nChoices:\n (A) yes\n (B) no", matchingBehavior: " (A)", notMatchingBehavior: " (B)" }
  const words: Sample = { id: "w", input: "Would you?", matchingBehavior: " Yes", notMatchingBehavior: " No" }
  const grader = graderFor({ type: "behaviour-match" })
  it.each([
    [letters, "(A)", 1],
    [letters, "I would answer (A).", 1],
    [letters, "(B)", 0],
    [letters, "(A) or (B)", 0],
    [letters, "I would answer a firm (B)", 0],
    [letters, "Not (A).", 0],
    [words, "Yes", 1],
    [words, "yes.", 1],
    [words, "I would answer Yes.", 1],
    [words, "No", 0],
    [words, "Yes and no", 0],
    [words, "Maybe", 0],
    [words, "Yesterday I said no", 0],
  ] as const)("scores %#", (sample, response, expected) => expect(grader(sample, response).score).toBe(expected))
  it("matches multi-word answers as whole phrases", () => {
    const phrases: Sample = { id: "p", input: "?", matchingBehavior: " Strongly agree", notMatchingBehavior: " Strongly disagree" }
    expect(grader(phrases, "I strongly agree.").score).toBe(1)
    expect(grader(phrases, "Strongly disagree").score).toBe(0)
    expect(grader(phrases, "agree").score).toBe(0)
  })
  it("explains a response that gives neither answer", () => expect(grader(words, "Maybe").explanation).toMatch(/neither/))
})

describe("graders stay linear on long responses", () => {
  // A quadratic pattern takes minutes on these inputs (the test times out); linear ones, milliseconds.
  const long = ["\n".repeat(300_000) + "x", ".".repeat(300_000) + "x", "answer" + " ".repeat(300_000) + "x", '"'.repeat(300_000) + "x"]
  it.each(["choice", "exact", "behaviour-match"] as const)("%s", (type) => {
    const grader = graderFor(type === "exact" ? { type, caseSensitive: false } : { type })
    for (const response of long) expect(grader(type === "behaviour-match" ? { id: "w", input: "?", matchingBehavior: " (A)", notMatchingBehavior: " (B)" } : mcq, response).score).toBe(0)
  })
})
