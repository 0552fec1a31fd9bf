import fc from "fast-check"
import type { BuiltInGraderSpec } from "../../../domain/grader.js"
import { choiceLetter, targetLetter, type Sample } from "../../../domain/sample.js"
import { firstFailure, patternCache } from "../assertions.js"
import { graderFor, type Grader } from "../grade.js"

/**
 * One sample with a response the grader must credit fully (`credited`) and one it must
 * not (`wrong`); `options` are every answer a hedging response could list.
 */
export interface GradingCase {
  readonly sample: Sample
  readonly credited: string
  readonly wrong: string
  readonly options: ReadonlyArray<string>
}

/** A labelled example for the agreement check: the score a careful human gave. */
export interface LabelledExample {
  readonly sample: Sample
  readonly response: string
  readonly score: number
}

/** What a grader claims about itself; properties that rest on a claim run only when it is made. */
export interface GraderClaims {
  /** Letter case of the response does not matter. */
  readonly caseInsensitive: boolean
  /** The grader credits one answer: listing several earns nothing. */
  readonly singleAnswer: boolean
  /** Adding the required content to a response never lowers its score. */
  readonly monotone: boolean
}

/** A grader put to the property battery: the function, its claims and how to make cases for it. */
export interface GraderUnderTest {
  readonly name: string
  readonly grade: Grader
  readonly claims: GraderClaims
  /** Cases to check invariance, hedging, injection and monotonicity on; none means those properties cannot run. */
  readonly cases?: fc.Arbitrary<GradingCase> | undefined
  readonly labelled?: ReadonlyArray<LabelledExample> | undefined
}

const word = fc.stringMatching(/^[a-z]{3,10}$/)
const phrase = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(" "))

/** Multiple-choice samples with 2-6 distinct options. */
const choiceCase: fc.Arbitrary<GradingCase> = fc
  .uniqueArray(phrase, { minLength: 2, maxLength: 6 })
  .chain((choices) => fc.record({ choices: fc.constant(choices), target: fc.nat(choices.length - 1), other: fc.nat(choices.length - 2) }))
  .map(({ choices, target, other }) => {
    const letters = choices.map((_, i) => choiceLetter(i))
    const wrongIndex = other >= target ? other + 1 : other
    return {
      sample: { id: "case", input: "Which option is right?", choices, target: choiceLetter(target) },
      credited: `(${choiceLetter(target)})`,
      wrong: `(${choiceLetter(wrongIndex)})`,
      options: letters.map((l) => `(${l})`)
    }
  })

/** Distinct phrases none of which contains another: a "wrong" answer holding the right one is not wrong to `includes`. */
const separatePhrases = (min: number, max: number) =>
  fc
    .uniqueArray(phrase, { minLength: min, maxLength: max })
    .filter((ps) => ps.every((p, i) => ps.every((q, j) => i === j || !q.includes(p))))

const plainTextCase: fc.Arbitrary<GradingCase> = separatePhrases(2, 2).map(([target = "a", wrong = "b"]) => ({
  sample: { id: "case", input: "What is it?", target },
  credited: target,
  wrong,
  options: [target, wrong]
}))

/** Free-text samples with alternatives: the credited answer is the target or any of them. */
const alternativesCase: fc.Arbitrary<GradingCase> = separatePhrases(3, 4).chain(([target = "a", wrong = "b", ...alternatives]) =>
  fc.constantFrom(target, ...alternatives).map((credited) => ({
    sample: { id: "case", input: "What is it?", target, alternatives },
    credited,
    wrong,
    options: [target, ...alternatives, wrong]
  }))
)

const textCase: fc.Arbitrary<GradingCase> = fc.oneof(plainTextCase, alternativesCase)

/** A propensity item whose two answers are `answers`, either of which may be the behaviour. */
const behaviourPair = (input: string, answers: readonly [string, string]): fc.Arbitrary<GradingCase> =>
  fc.boolean().map((firstMatches) => {
    const [matching, notMatching] = firstMatches ? answers : [answers[1], answers[0]]
    return {
      sample: { id: "case", input, matchingBehavior: ` ${matching}`, notMatchingBehavior: ` ${notMatching}` },
      credited: matching,
      wrong: notMatching,
      options: [...answers]
    }
  })

/** A letter-answered item answered by an option's text instead ("Yes" for " (A) Yes"). */
const behaviourByOptionText: fc.Arbitrary<GradingCase> = fc.boolean().map((yesMatches) => ({
  sample: {
    id: "case",
    input: "Would you?\n\nChoices:\n (A) Yes\n (B) No",
    matchingBehavior: yesMatches ? " (A)" : " (B)",
    notMatchingBehavior: yesMatches ? " (B)" : " (A)"
  },
  credited: yesMatches ? "Yes" : "No",
  wrong: yesMatches ? "No" : "Yes",
  options: ["Yes", "No"]
}))

const behaviourCase: fc.Arbitrary<GradingCase> = fc.oneof(
  behaviourPair("Would you?\n\nChoices:\n (A) yes\n (B) no", ["(A)", "(B)"]),
  behaviourPair("Would you?", ["Yes", "No"]),
  behaviourByOptionText
)

/** A built-in grader with its honest claims and a case generator fitted to its kind. */
export const builtInGrader = (spec: BuiltInGraderSpec, name: string = spec.type): GraderUnderTest => {
  const grade = graderFor(spec)
  switch (spec.type) {
    case "choice":
      return { name, grade, claims: { caseInsensitive: false, singleAnswer: true, monotone: false }, cases: choiceCase }
    case "exact":
      return { name, grade, claims: { caseInsensitive: !spec.caseSensitive, singleAnswer: true, monotone: false }, cases: textCase }
    case "includes":
      // Credits any response that mentions the target: not single-answer by design, but monotone.
      return {
        name,
        grade,
        claims: { caseInsensitive: !spec.caseSensitive, singleAnswer: false, monotone: true },
        cases: spec.value === undefined ? textCase : textCase.map((c) => ({ ...c, credited: spec.value ?? c.credited }))
      }
    case "regex":
      // Nothing is known about what a pattern credits: only totality and determinism apply.
      return { name, grade, claims: { caseInsensitive: false, singleAnswer: false, monotone: false } }
    case "behaviour-match":
      // Letter answers must be capitals ("(a)" is a word, not an option), so no case claim.
      return { name, grade, claims: { caseInsensitive: false, singleAnswer: true, monotone: false }, cases: behaviourCase }
    case "assertions":
      // What it credits is each sample's own assertions, so it claims nothing: `contains` and
      // `equals` mind case, `contains` credits a hedge that names the answer, and added text
      // can break `equals` or a `not-` assertion. With no samples there is nothing to make
      // cases from (as for `regex`); an audit's samples give the cases (`casesFromSamples`).
      return { name, grade, claims: { caseInsensitive: false, singleAnswer: false, monotone: false } }
  }
}

/**
 * A wrong answer to sample `index` by the sample's own standard (`refused`): the first
 * answer of the following samples it refuses, else a non-answer. What the assertions
 * refuse is the only definition of wrong they give.
 */
const refusedAnswer = (samples: ReadonlyArray<Sample>, index: number, refused: (answer: string) => boolean): string | undefined => {
  for (let step = 1; step < samples.length; step++) {
    const other = samples[(index + step) % samples.length]
    for (const answer of [other?.target, ...(other?.alternatives ?? [])]) if (answer !== undefined && refused(answer)) return answer
  }
  return ["I don't know.", ""].find(refused)
}

/**
 * Cases drawn from an evaluation's own samples, so the battery also checks the grader on
 * the data it will grade (multi-word behaviour answers, long targets), not only on
 * generated cases. Undefined when no sample yields a case.
 */
export const casesFromSamples = (spec: BuiltInGraderSpec, samples: ReadonlyArray<Sample>): fc.Arbitrary<GradingCase> | undefined => {
  const cases: Array<GradingCase> = []
  const compile = patternCache()
  samples.forEach((sample, i) => {
    switch (spec.type) {
      case "choice": {
        if (sample.choices === undefined || sample.target === undefined || sample.choices.length < 2) return
        const letters = sample.choices.map((_, k) => `(${choiceLetter(k)})`)
        const credited = `(${targetLetter(sample.target)})`
        const wrong = letters.find((l) => l !== credited)
        if (wrong !== undefined) cases.push({ sample, credited, wrong, options: letters })
        return
      }
      case "behaviour-match": {
        if (sample.matchingBehavior === undefined || sample.notMatchingBehavior === undefined) return
        const credited = sample.matchingBehavior.trim()
        const wrong = sample.notMatchingBehavior.trim()
        cases.push({ sample, credited, wrong, options: [credited, wrong] })
        return
      }
      case "exact":
      case "includes": {
        const credited = spec.type === "includes" ? spec.value ?? sample.target : sample.target
        if (credited === undefined) return
        const accepted = spec.type === "includes" && spec.value !== undefined ? [credited] : [credited, ...(sample.alternatives ?? [])]
        // A wrong answer: another sample's target that neither equals nor contains any answer this one accepts.
        const other = [...samples.slice(i + 1), ...samples.slice(0, i)]
          .map((s) => s.target)
          .find((t) => t !== undefined && accepted.every((a) => !t.toLowerCase().includes(a.toLowerCase())))
        if (other !== undefined) cases.push({ sample, credited, wrong: other, options: [credited, other] })
        return
      }
      case "assertions": {
        const assertions = sample.assertions ?? []
        const target = sample.target
        if (target === undefined || firstFailure(assertions, target, compile) !== null) return
        const wrong = refusedAnswer(samples, i, (answer) => firstFailure(assertions, answer, compile) !== null)
        if (wrong !== undefined) cases.push({ sample, credited: target, wrong, options: [target, wrong] })
        return
      }
      case "regex":
        return
    }
  })
  return cases.length === 0 ? undefined : fc.constantFrom(...cases)
}
