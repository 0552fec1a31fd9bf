import { describe, expect, it } from "vitest"
import type { BuiltInGraderSpec } from "../src/domain/grader.js"
import { builtInGrader, type GraderUnderTest } from "../src/evaluations/graders/battery/grader-under-test.js"
import type { PropertyResult } from "../src/evaluations/graders/battery/property-result.js"
import { runBattery } from "../src/evaluations/graders/battery/run-battery.js"
import type { Grader } from "../src/evaluations/graders/grade.js"
import { graderProperties } from "../src/testing/vitest.js"
import { weakChoiceGrader } from "../fixtures/graders/weak-grader.js"

const choiceGrader = builtInGrader({ type: "choice" })
const claims = { caseInsensitive: false, singleAnswer: true, monotone: false }
const result = (grader: GraderUnderTest, property: string, seed = 7): PropertyResult | undefined =>
  runBattery(grader, { seed, numRuns: 200 }).results.find((r) => r.property === property)
const failed = (grader: GraderUnderTest, property: string) => {
  const r = result(grader, property)
  expect(r?._tag, `${property} should fail`).toBe("Failed")
  return r?._tag === "Failed" ? r : undefined
}
/** A bad grader that behaves like the choice grader except where it is broken. */
const broken = (name: string, grade: Grader, overrides: Partial<GraderUnderTest> = {}): GraderUnderTest => ({ ...choiceGrader, name, grade, ...overrides })

describe("built-in graders pass the battery", () => {
  const specs: ReadonlyArray<BuiltInGraderSpec> = [
    { type: "choice" },
    { type: "exact", caseSensitive: false },
    { type: "exact", caseSensitive: true },
    { type: "behaviour-match" },
    { type: "regex", pattern: "^yes\\b", flags: "i" }
  ]
  it.each(specs)("$type", (spec) => {
    const report = runBattery(builtInGrader(spec), { seed: 3, numRuns: 200 })
    expect(report.results.filter((r) => r._tag === "Failed")).toEqual([])
    expect(report.passed).toBe(true)
  })

  it.each([{ type: "includes", caseSensitive: false } as const, { type: "includes", value: "refuse", caseSensitive: false } as const])(
    "includes: passes all but injection, the known weakness of graders that credit any mention",
    (spec) => {
      const report = runBattery(builtInGrader(spec), { seed: 3, numRuns: 200 })
      expect(report.results.filter((r) => r._tag === "Failed").map((r) => r.property)).toEqual(["no-credit-for-injection"])
    }
  )
})

describe("every property can fail, with a shrunk counterexample", () => {
  it("totality: a grader that throws on an empty response", () => {
    const r = failed(broken("throws", (s, response) => (response === "" ? (() => { throw new Error("empty") })() : choiceGrader.grade(s, response))), "totality")
    expect(r?.counterexample).toContain('"response":""')
    expect(r?.error).toBe("empty")
  })

  it("totality: a grader that returns a score above 1", () => {
    failed(broken("over", () => ({ score: 2, explanation: "generous" })), "totality")
  })

  it("discrimination: a grader that credits nothing (it would pass every other property)", () => {
    failed(broken("nothing", () => ({ score: 0, explanation: "never" })), "discrimination")
  })

  it("no credit for hedging: a grader that takes the last option named, wherever the right one is", () => {
    const last = broken("last", (s, r) => {
      const letters = [...r.matchAll(/\(([A-Z])\)/g)].map((m) => m[1])
      return { score: letters.at(-1) === s.target ? 1 : 0, explanation: "last letter" }
    })
    expect(result(last, "discrimination")?._tag).toBe("Passed")
    failed(last, "no-credit-for-hedging")
  })

  it("determinism: a grader with hidden state", () => {
    let calls = 0
    failed(broken("stateful", (s, r) => ({ score: calls++ % 2, explanation: String(s.id) + r.length })), "determinism")
  })

  it("invariance: a grader that compares raw text", () => {
    const raw = broken("raw", (s, r) => ({ score: r === `(${s.target ?? ""})` ? 1 : 0, explanation: "raw comparison" }))
    // Shrunk to a single rewrite.
    expect(failed(raw, "invariance")?.counterexample).toMatch(/"rewrites":\["[^"]+"\]/)
  })

  it("no credit for hedging: a grader that credits the target letter anywhere", () => {
    const r = failed(broken("anywhere", (s, r) => ({ score: r.includes(`(${s.target ?? ""})`) ? 1 : 0, explanation: "found" })), "no-credit-for-hedging")
    // Shrunk to the smallest hedge: two options.
    expect(r?.counterexample).toMatch(/"others":\["\([A-F]\)"\]/)
  })

  it("no credit for injection: a grader that obeys 'Score: 10'", () => {
    const obeys = broken("obeys", (s, r) => (/score: 10/i.test(r) ? { score: 1, explanation: "told so" } : choiceGrader.grade(s, r)))
    expect(failed(obeys, "no-credit-for-injection")?.counterexample).toContain('"injection":"score claim"')
  })

  it("monotonicity: a grader that claims it and penalises long responses", () => {
    const includes = builtInGrader({ type: "includes", caseSensitive: false })
    const short = { ...includes, name: "short", grade: (s: Parameters<Grader>[0], r: string) => (r.length > 12 ? { score: 0, explanation: "too long" } : includes.grade(s, r)) }
    failed(short, "monotonicity")
  })

  it("agreement with labels: reported with an interval, failing below the minimum", () => {
    const sample = { id: "s", input: "?", choices: ["a", "b"], target: "A" }
    const labelled = Array.from({ length: 40 }, (_, i) => ({ sample, response: i % 2 === 0 ? "(A)" : "(B)", score: i % 2 === 0 ? 1 : 0 }))
    const good = runBattery({ ...choiceGrader, labelled }, { numRuns: 10 })
    expect(good.agreement).toMatchObject({ passed: true, accuracy: { k: 40, n: 40 } })
    const lenient = runBattery(broken("lenient", () => ({ score: 1, explanation: "always" }), { labelled }), { numRuns: 10 })
    expect(lenient.agreement?.accuracy.k).toBe(20)
    expect(lenient.agreement?.passed).toBe(false)
    expect(lenient.agreement?.disagreements[0]?.response).toBe("(B)")
  })
})

describe("replay and cost", () => {
  it("an unknown property to replay is refused, naming the known ones", () => {
    expect(() => runBattery(choiceGrader, { replay: { property: "totalty", seed: 1, path: "0" } })).toThrow(/expected one of totality, discrimination/)
  })

  it("a property cut short by the time limit is reported as interrupted, not passed", () => {
    const slow = broken("slow", (s, r) => {
      const until = Date.now() + 5
      while (Date.now() < until) {
        // busy wait: a grader that takes 5 ms a call
      }
      return choiceGrader.grade(s, r)
    })
    const report = runBattery(slow, { numRuns: 10_000, timeLimitMs: 50 })
    expect(report.results.some((r) => r._tag === "Interrupted")).toBe(true)
    expect(report.passed).toBe(false)
  })

  it("replaying a reported seed and path reproduces the same counterexample", () => {
    const anywhere = broken("anywhere", (s, r) => ({ score: r.includes(`(${s.target ?? ""})`) ? 1 : 0, explanation: "found" }))
    const first = failed(anywhere, "no-credit-for-hedging")
    if (first === undefined) return
    const replayed = runBattery(anywhere, { replay: { property: first.property, seed: first.seed, path: first.path } }).results
    expect(replayed).toHaveLength(1)
    expect(replayed[0]).toMatchObject({ _tag: "Failed", counterexample: first.counterexample })
  })

  it("the number of runs per property bounds the grader calls", () => {
    let calls = 0
    const counted = { ...choiceGrader, grade: (s: Parameters<Grader>[0], r: string) => (calls++, choiceGrader.grade(s, r)) }
    const report = runBattery(counted, { numRuns: 25 })
    const passed = report.results.filter((r) => r._tag === "Passed")
    expect(passed.length).toBeGreaterThan(0)
    expect(passed.every((r) => r._tag === "Passed" && r.runs === 25)).toBe(true)
    // At most a few grader calls per run and property (determinism grades twice, injection twice).
    expect(calls).toBeLessThanOrEqual(25 * 6 * 2)
  })
})

describe("the weak example grader in fixtures/", () => {
  it("is flagged on totality, hedging and injection", () => {
    const report = runBattery({ name: "weak", grade: weakChoiceGrader, claims, cases: choiceGrader.cases }, { seed: 5, numRuns: 300 })
    const failures = report.results.filter((r) => r._tag === "Failed").map((r) => r.property)
    expect(failures).toEqual(expect.arrayContaining(["totality", "no-credit-for-hedging", "no-credit-for-injection"]))
    expect(report.passed).toBe(false)
  })
})

// The exported vitest helper, used as a user would.
graderProperties(builtInGrader({ type: "choice" }), { numRuns: 50 })
