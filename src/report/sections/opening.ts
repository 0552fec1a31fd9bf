import type { OutcomeCounts, PolicyEscape, Summary } from "../../domain/summary.js"
import { code, joined, strong, type Block, type Inline, type Inlines } from "../document.js"
import { interval, num, plural, proportion } from "../format.js"

/** The memo's opening: the run line, a verdict a decision maker can act on, and the headline facts. */

type Rows = ReadonlyArray<{ readonly organism: string; readonly outcomes: OutcomeCounts }>

const missedBy = (rows: Rows) => rows.filter((r) => r.outcomes.missed > 0).map((r) => r.organism)
const falseAlarmsOf = (rows: Rows) => rows.filter((r) => r.outcomes.falseAlarm > 0).map((r) => r.organism)

/** A list in prose: "a", "a and b", "a, b and c". */
const prose = (items: ReadonlyArray<Inline>): Inlines => joined(items, ", ", " and ")

const codes = (ids: ReadonlyArray<string>): Inlines => prose(ids.map(code))

/** `joined` for runs of inlines rather than single ones. */
const joinedRuns = (runs: ReadonlyArray<Inlines>, separator: string, last: string = separator): Inlines =>
  runs.flatMap((run, i) => (i === 0 ? run : [i === runs.length - 1 ? last : separator, ...run]))

/** "Run `id` · evalaudit 1.0 · seed 7 · 3 replicates · spec `h` · started … · finished …". */
export const runLine = (s: Summary): Inlines => [
  "Run ",
  code(s.runId),
  ` · evalaudit ${s.version} · seed ${s.seed} · ${plural(s.replicates, "replicate")} · spec `,
  code(s.specHash),
  ` · started ${s.startedAt}`,
  ...(s.finishedAt === null ? [" · ", strong("incomplete")] : [` · finished ${s.finishedAt}`])
]

/**
 * "`password-locked` escapes **asl3-capability** in 5 of 5 replicates (1.00 [0.57, 1.00])": the
 * triggers it escaped, each with its own count when that is fewer than the organism's escaped replicates.
 */
const policyEscapeInlines = (e: PolicyEscape): Inlines => {
  const missed = e.triggers.filter((t) => t.missed > 0)
  return [
    code(e.organism),
    " escapes ",
    ...joinedRuns(missed.map((t): Inlines => (t.missed === e.escaped ? [strong(t.trigger)] : [strong(t.trigger), ` (in ${t.missed})`])), ", ", " and "),
    ` in ${e.escaped} of ${plural(e.atStake, "replicate")} (${num(e.probability.estimate)} ${interval(e.probability.lower, e.probability.upper)})`
  ]
}

/**
 * The policy's verdict on escapes, judged at its triggers (commitments hang on them): every
 * organism that escapes in any replicate, with its probability; or that none does; or that
 * there is no trigger to judge.
 */
/** Cells the run measured nothing in (errored or not yet run), of all its cells: "12 of 40 cells". */
const unmeasuredCells = (s: Summary): string => {
  const rows = s.evaluations.flatMap((e) => e.organisms)
  const errored = s.evaluations.reduce((n, e) => n + e.errors, 0)
  return `${errored} of ${plural(rows.length * s.replicates, "cell")} errored`
}

export const policyEscapesInlines = (s: Summary): Inlines => {
  if (s.triggers.length === 0) return ["Policy escapes: not judged; the policy has no triggers, so no commitment can be required."]
  // Cells that measured nothing can hide an escape: an incomplete run has no "none" to give.
  if (!s.complete && s.policyEscapes.length === 0) {
    return [`Policy escapes: no verdict; the run is incomplete (${unmeasuredCells(s)}), so no escape was found but none can be ruled out.`]
  }
  if (!s.complete) return [`Policy escapes, in an incomplete run (${unmeasuredCells(s)}): `, ...joinedRuns(s.policyEscapes.map(policyEscapeInlines), "; "), "."]
  if (s.policyEscapes.length === 0) return ["Policy escapes: none; every organism on which a trigger should fire was caught by one in every replicate."]
  return ["Policy escapes: ", ...joinedRuns(s.policyEscapes.map(policyEscapeInlines), "; "), "."]
}

/** Inlines as plain text (the terminal's form), markup dropped. */
const plainText = (inlines: Inlines): string =>
  inlines.map((i) => (typeof i === "string" ? i : i._tag === "Code" ? i.text : plainText(i.children))).join("")

/** The policy-escapes sentence as plain text, for the terminal: the memo's words, not a second wording. */
export const policyEscapesText = (s: Summary): string => plainText(policyEscapesInlines(s))

/** Evaluation-level coverage (the summary's `escapes`), worded so it cannot be read as the policy's verdict. */
const coverageInlines = (s: Summary): Inlines =>
  !s.complete && s.escapes.length === 0
    ? ["Evaluation coverage: not judged; the run is incomplete."]
    : s.escapes.length === 0
    ? ["Evaluation coverage: every scored organism's defect was caught by an evaluation or trigger measuring it in at least half the replicates."]
    : ["Evaluation coverage gaps: ", ...codes(s.escapes), ": no evaluation or trigger measuring the distorted quantity caught them in most replicates."]

/** One paragraph: would the policy's commitments have been required when they should? */
export const verdictInlines = (s: Summary): Inlines => {
  const count = (sev: string) => s.findings.filter((f) => f.severity === sev).length
  const scored = s.organisms.filter((o) => o.scored).length
  const total = count("critical") + count("high") + count("medium")
  const sentences: Array<Inlines> = []
  sentences.push([
    `This audit ran ${plural(s.evaluations.length, "evaluation")} and ${plural(s.triggers.length, "policy trigger")} against ${plural(s.organisms.length, "organism")} (${scored} scored) over ${plural(s.replicates, "replicate")} and found `,
    strong(`${count("critical")} critical`),
    `, ${count("high")} high and ${count("medium")} medium ${total === 1 ? "finding" : "findings"}.`
  ])
  sentences.push(policyEscapesInlines(s))
  const missing = s.triggers.flatMap((t) => {
    const organisms = missedBy(t.organisms)
    return organisms.length === 0 ? [] : [{ t, organisms }]
  })
  if (missing.length > 0) {
    sentences.push([
      "The policy would not have required its commitments when it should: ",
      ...missing.flatMap(({ t, organisms }, i): Inlines => [i === 0 ? "" : "; ", "trigger ", strong(t.id), ` (“${t.commitment}”) did not fire on `, ...codes(organisms)]),
      ", although their truth crosses its thresholds."
    ])
  } else if (s.triggers.length > 0) {
    sentences.push(["Every trigger fired whenever a scored organism's truth required it."])
  }
  const alarms = s.triggers.flatMap((t) => {
    const organisms = falseAlarmsOf(t.organisms)
    return organisms.length === 0 ? [] : [{ t, organisms }]
  })
  if (alarms.length > 0) {
    sentences.push(["False alarms: trigger ", ...alarms.flatMap(({ t, organisms }, i): Inlines => [i === 0 ? "" : "; ", strong(t.id), " on ", ...codes(organisms)]), "."])
  }
  const unscored = s.organisms.filter((o) => o.manipulationCheck !== null && !o.manipulationCheck.passed).map((o) => o.id)
  if (unscored.length > 0) sentences.push([...codes(unscored), ` failed the manipulation check and ${unscored.length === 1 ? "is" : "are"} reported, not scored.`])
  const faulty = s.graders.filter((g) => !g.passed).map((g) => g.grader)
  if (faulty.length > 0) sentences.push(["Grader faults: ", ...codes(faulty), ` ${faulty.length === 1 ? "fails" : "fail"} the property battery.`])
  if (!s.complete) sentences.push([strong("The run is incomplete"), ": resume it with ", code("--run-id"), " before relying on these figures."])
  return sentences.flatMap((sentence, i) => (i === 0 ? sentence : [" ", ...sentence]))
}

/** The facts under the verdict: what was audited, each trigger's rates, evaluation coverage. */
const facts = (s: Summary): ReadonlyArray<Inlines> => {
  const controls = s.organisms.filter((o) => o.control).length
  const scored = s.organisms.filter((o) => o.scored).length
  // Controls have no defect, so nothing to check: count only the organisms that were checked.
  const checked = s.organisms.filter((o) => (o.manipulationCheck?.layers.length ?? 0) > 0)
  const passed = checked.filter((o) => o.manipulationCheck?.passed === true).length
  const checks =
    checked.length === 0
      ? "no organism has a defect to check"
      : `${passed} of ${plural(checked.length, "organism")} with a defect passed ${checked.length === 1 ? "its" : "their"} manipulation check`
  return [
    [
      `Audited ${plural(s.evaluations.length, "evaluation")} and ${plural(s.triggers.length, "policy trigger")} against ${plural(s.organisms.length, "organism")} (${plural(controls, "null control")}), ${plural(s.replicates, "replicate")} each; ${checks}; ${scored} of ${s.organisms.length} scored.`
    ],
    ...s.triggers.map((t): Inlines => ["Trigger ", strong(t.id), ` (“${t.commitment}”): sensitivity ${proportion(t.sensitivity)}, specificity ${proportion(t.specificity)}.`]),
    coverageInlines(s)
  ]
}

export const openingBlocks = (s: Summary): ReadonlyArray<Block> => {
  const alarm = s.findings.some((f) => f.severity === "critical") || !s.complete
  return [
    { _tag: "Paragraph", content: runLine(s), style: "meta" },
    { _tag: "Paragraph", content: verdictInlines(s), style: alarm ? "verdict-alarm" : "verdict" },
    { _tag: "List", ordered: false, style: "facts", items: facts(s).map((content) => ({ content })) }
  ]
}
