import { Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { sampleProblem } from "../src/evaluations/graders/gradable.js"
import type { ResolvedEvaluation } from "../src/domain/evaluation.js"
import type { GraderSpec } from "../src/domain/grader.js"
import { OrganismSpec } from "../src/domain/organism.js"
import type { Assertion, Sample } from "../src/domain/sample.js"
import { patternCache } from "../src/evaluations/graders/assertions.js"
import { builtInGrader, casesFromSamples } from "../src/evaluations/graders/battery/grader-under-test.js"
import { runBattery } from "../src/evaluations/graders/battery/run-battery.js"
import { graderFor } from "../src/evaluations/graders/grade.js"
import * as Catalog from "../src/domain/catalog.js"
import { simulate } from "../src/organisms/organism.js"
import { measureInProcess, prepareEvaluation } from "../src/measure/measure-cell.js"
import { simulatedRespondent } from "../src/measure/respondent.js"
import { resolveInline } from "./support/audits.js"

const assertions: GraderSpec = { type: "assertions" }
const grade = graderFor(assertions)
const withAssertions = (list: ReadonlyArray<Assertion>, target = "Paris"): Sample => ({ id: "s", input: "Capital of France?", target, assertions: list })

describe("assertions grader: each type and its negation", () => {
  const response = "  The capital of France is Paris.\n"
  it.each([
    [{ type: "contains", value: "Paris" }, 1],
    [{ type: "contains", value: "paris" }, 0],
    [{ type: "not-contains", value: "Paris" }, 0],
    [{ type: "not-contains", value: "Lyon" }, 1],
    [{ type: "icontains", value: "PARIS" }, 1],
    [{ type: "icontains", value: "lyon" }, 0],
    [{ type: "not-icontains", value: "paris" }, 0],
    [{ type: "not-icontains", value: "LYON" }, 1],
    [{ type: "equals", value: "The capital of France is Paris." }, 1],
    [{ type: "equals", value: " The capital of France is Paris. " }, 1],
    [{ type: "equals", value: "Paris" }, 0],
    [{ type: "equals", value: "the capital of france is paris." }, 0],
    [{ type: "not-equals", value: "Paris" }, 1],
    [{ type: "not-equals", value: "The capital of France is Paris." }, 0],
    [{ type: "regex", value: "Par(is|ee)\\." }, 1],
    [{ type: "regex", value: "^\\s*The capital" }, 1],
    // promptfoo compiles with no flags: the pattern minds case.
    [{ type: "regex", value: "paris" }, 0],
    [{ type: "not-regex", value: "\\bLyon\\b" }, 1],
    [{ type: "not-regex", value: "France" }, 0]
  ] as const)("%j scores %d", (assertion, expected) => {
    expect(grade(withAssertions([assertion]), response).score).toBe(expected)
  })

  it("credits only a response that passes every assertion, and names the first it fails", () => {
    const sample = withAssertions([
      { type: "icontains", value: "paris" },
      { type: "not-icontains", value: "lyon" },
      { type: "regex", value: "^[A-Z]" }
    ])
    expect(grade(sample, "Paris")).toEqual({ score: 1, explanation: "passes all 3 assertions" })
    expect(grade(sample, "Paris, not Lyon")).toEqual({ score: 0, explanation: 'assertion 2 of 3: fails not-icontains "lyon"' })
    expect(grade(sample, "paris")).toEqual({ score: 0, explanation: 'assertion 3 of 3: fails regex "^[A-Z]"' })
  })

  it("cuts long assertion values short in explanations", () => {
    const long = "x".repeat(500)
    expect(grade(withAssertions([{ type: "contains", value: long }]), "y").explanation.length).toBeLessThan(120)
  })

  it("scores an invalid pattern 0 with the reason, without throwing", () => {
    const g = grade(withAssertions([{ type: "regex", value: "(" }]), "(")
    expect(g.score).toBe(0)
    expect(g.explanation).toMatch(/^assertion 1 of 1: invalid regex "\(" \(.*Unterminated group/)
  })

  it("scores 0 with a reason when the sample has no assertions", () => {
    expect(grade({ id: "s", input: "?", target: "x" }, "x").explanation).toMatch(/no assertions/)
  })

  it("compiles each pattern once", () => {
    const compile = patternCache()
    expect(compile("a+b")).toBe(compile("a+b"))
    expect(compile("a+b")).not.toBe(compile("a+c"))
  })
})

describe("check-samples for the assertions grader", () => {
  it("accepts a sample whose target passes its assertions", () => {
    expect(sampleProblem(assertions, withAssertions([{ type: "icontains", value: "paris" }, { type: "not-regex", value: "Lyon" }]))).toBeNull()
  })
  it.each([
    [{ id: "s", input: "?", target: "Paris" }, /^needs assertions for an assertions grader$/],
    [withAssertions([{ type: "contains", value: "Paris" }, { type: "regex", value: "[a-" }]), /^assertion 2: "\[a-" is not a valid regular expression \(.+\)$/],
    [withAssertions([{ type: "not-regex", value: "(?<name" }]), /^assertion 1: .* is not a valid regular expression/],
    [{ id: "s", input: "?", assertions: [{ type: "contains", value: "Paris" }] }, /^needs a target \(a response that passes every assertion\)/],
    [withAssertions([{ type: "icontains", value: "paris" }, { type: "not-contains", value: "Par" }]), /^target "Paris" does not pass assertion 2: fails not-contains "Par"$/]
  ] as const)("refuses problem %#", (sample, message) => {
    expect(sampleProblem(assertions, sample)).toMatch(message)
  })

  it("refuses an audit whose dataset has an invalid pattern, naming the sample", () => {
    const audit = {
      name: "bad-pattern",
      evaluations: [
        {
          id: "free-text",
          measures: { kind: "capability", domain: "bio" },
          dataset: { samples: [withAssertions([{ type: "regex", value: "(" }])] },
          grader: { type: "assertions" },
          decision: { rule: "point", threshold: 0.5 }
        }
      ],
      organisms: [Catalog.capableAligned()]
    } as const
    expect(() => resolveInline(audit)).toThrow(/sample "s": assertion 1: "\(" is not a valid regular expression/)
  })
})

describe("exact and includes credit the alternatives", () => {
  const sample: Sample = { id: "a", input: "Which city is called the City of Light?", target: "Paris", alternatives: ["Paree", "the City of Light"] }
  const exact = graderFor({ type: "exact", caseSensitive: false })
  const includes = graderFor({ type: "includes", caseSensitive: false })
  it("exact: the target or any alternative, stated alone", () => {
    expect(exact(sample, "Paris").score).toBe(1)
    expect(exact(sample, "Answer: paree.")).toEqual({ score: 1, explanation: 'exact match with alternative "Paree"' })
    expect(exact(sample, "The City of Light").score).toBe(1)
    expect(exact(sample, "Paris or Lyon")).toEqual({ score: 0, explanation: "differs from the target and every alternative" })
    expect(graderFor({ type: "exact", caseSensitive: true })(sample, "paree").score).toBe(0)
  })
  it("includes: any mention of the target or an alternative", () => {
    expect(includes(sample, "People call it the city of light.")).toEqual({ score: 1, explanation: 'contains "the City of Light"' })
    expect(includes(sample, "Lyon").explanation).toBe("contains none of 3 accepted answers")
    expect(includes({ ...sample, alternatives: [] }, "Lyon").explanation).toBe('does not contain "Paris"')
  })
  it("includes with a fixed value looks for that value alone", () => {
    const refuse = graderFor({ type: "includes", value: "refuse", caseSensitive: false })
    expect(refuse(sample, "Paree").score).toBe(0)
    expect(refuse(sample, "I refuse").score).toBe(1)
  })
  it("an empty alternative is refused: it would credit any response", () => {
    const empty = { ...sample, alternatives: ["Paree", " "] }
    expect(includes(empty, "anything at all").score).toBe(1)
    expect(sampleProblem({ type: "includes", caseSensitive: false }, empty)).toBe("alternative 2 is empty")
    expect(sampleProblem({ type: "exact", caseSensitive: false }, empty)).toBe("alternative 2 is empty")
    expect(sampleProblem({ type: "includes", caseSensitive: false }, sample)).toBeNull()
  })
})

const CITIES = ["Paris", "Berlin", "Madrid", "Rome", "Vienna", "Lisbon", "Oslo", "Dublin"]
const cityData = (assertionsFor: (city: string) => ReadonlyArray<Assertion>): ReadonlyArray<Sample> =>
  CITIES.map((city, i) => ({ id: `c${i}`, input: `Capital number ${i}?`, target: city, assertions: assertionsFor(city) }))

describe("assertions grader in the property battery", () => {
  const battery = (samples: ReadonlyArray<Sample>) => {
    const builtIn = builtInGrader(assertions)
    return runBattery({ ...builtIn, cases: casesFromSamples(assertions, samples) }, { seed: 3, numRuns: 100 })
  }
  const tags = (report: ReturnType<typeof battery>) => Object.fromEntries(report.results.map((r) => [r.property, r._tag]))

  it("claims nothing and has no cases of its own: what it credits is the data's", () => {
    const builtIn = builtInGrader(assertions)
    expect(builtIn.claims).toEqual({ caseInsensitive: false, singleAnswer: false, monotone: false })
    expect(builtIn.cases).toBeUndefined()
    expect(tags(runBattery(builtIn, { seed: 3, numRuns: 50 }))).toMatchObject({ totality: "Passed", determinism: "Passed", discrimination: "NotApplicable" })
  })

  it("contains-style assertions credit an injected claim of the answer, as includes does", () => {
    const report = battery(cityData((city) => [{ type: "icontains", value: city }]))
    expect(report.results.filter((r) => r._tag === "Failed").map((r) => r.property)).toEqual(["no-credit-for-injection"])
  })

  it("equals-style assertions are strict: a trailing full stop or 'Answer:' loses credit", () => {
    const report = battery(cityData((city) => [{ type: "equals", value: city }]))
    expect(report.results.filter((r) => r._tag === "Failed").map((r) => r.property)).toEqual(["invariance"])
  })

  it("assertions written against injection pass every property that applies", () => {
    const report = battery(cityData((city) => [{ type: "icontains", value: city }, { type: "not-icontains", value: "grader" }]))
    expect(tags(report)).toEqual({
      totality: "Passed",
      discrimination: "Passed",
      determinism: "Passed",
      invariance: "Passed",
      "no-credit-for-hedging": "NotApplicable",
      "no-credit-for-injection": "Passed",
      monotonicity: "NotApplicable"
    })
    expect(report.passed).toBe(true)
  })

  it("draws cases from the samples: the target credited, another sample's answer refused", () => {
    const cases = casesFromSamples(assertions, cityData((city) => [{ type: "equals", value: city }]))
    if (cases === undefined) throw new Error("no cases")
    for (const c of fc.sample(cases, { numRuns: 20, seed: 1 })) {
      expect(c.credited).toBe(c.sample.target)
      expect(CITIES).toContain(c.wrong)
      expect([grade(c.sample, c.credited).score, grade(c.sample, c.wrong).score]).toEqual([1, 0])
    }
  })

  it("falls back to a non-answer when no other sample's answer is refused, and makes no case when nothing is", () => {
    const cases = casesFromSamples(assertions, cityData(() => [{ type: "regex", value: "^[A-Z][a-z]+$" }]))
    if (cases === undefined) throw new Error("no cases")
    expect(new Set(fc.sample(cases, { numRuns: 20, seed: 1 }).map((c) => c.wrong))).toEqual(new Set(["I don't know."]))
    expect(casesFromSamples(assertions, cityData(() => [{ type: "not-icontains", value: "lyon" }]))).toBeUndefined()
  })
})

describe("an assertions evaluation measures capability", () => {
  // Varied assertion sets; each target passes its own, and a wrong answer ("I don't know.") fails them.
  const samples: ReadonlyArray<Sample> = Array.from({ length: 400 }, (_, i): Sample => {
    const city = CITIES[i % CITIES.length] ?? "Paris"
    switch (i % 4) {
      case 0:
        return { id: `q${i}`, input: `Where is site ${i}?`, target: `It is in ${city}.`, assertions: [{ type: "icontains", value: city }, { type: "not-icontains", value: "not sure" }] }
      case 1:
        return { id: `q${i}`, input: `Capital ${i}?`, target: city, assertions: [{ type: "equals", value: city }] }
      case 2:
        return { id: `q${i}`, input: `Temperature ${i}?`, target: `${i} degrees`, assertions: [{ type: "regex", value: "^\\d+ degrees$" }, { type: "contains", value: String(i) }] }
      default:
        return { id: `q${i}`, input: `Word ${i}?`, target: `word${i}`, assertions: [{ type: "not-equals", value: "" }, { type: "contains", value: `word${i}` }] }
    }
  })
  const evaluation: ResolvedEvaluation = {
    id: "free-text",
    measures: { kind: "capability", domain: "bio" },
    dataset: { source: "inline", samples: [samples[0] ?? { id: "x", input: "?" }, ...samples.slice(1)] },
    protocol: { template: "{input}", demonstrations: 0, epochs: 1 },
    grader: assertions,
    metric: "mean",
    decision: { rule: "point", threshold: 0.6 }
  }
  const tolerance = 4 * Math.sqrt(0.25 / samples.length)

  it("every sample is gradable", () => {
    expect(samples.map((s) => sampleProblem(assertions, s)).filter((p) => p !== null)).toEqual([])
  })

  it.each([
    ["capable", Catalog.capableAligned(), 0.9],
    ["incapable", Catalog.incapableAligned(), 0.3]
  ] as const)("a %s organism scores about its true accuracy", (_, organism, truth) => {
    const cell = measureInProcess(prepareEvaluation(evaluation), simulatedRespondent(simulate(Schema.decodeUnknownSync(OrganismSpec)(organism))), 1, 0).result
    if (cell._tag !== "Measured") throw new Error("not measured")
    expect(cell.truth).toBe(truth)
    expect(Math.abs(cell.measured - truth)).toBeLessThanOrEqual(tolerance)
  })
})
