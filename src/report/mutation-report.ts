import type { FileResult, MutantResult, MutantStatus, MutationTestResult, TestFileDefinitionDictionary } from "mutation-testing-report-schema"
import type { EvaluationScore, OrganismScore, OutcomeCounts, Summary } from "../domain/summary.js"
import { num, proportion, signed } from "./format.js"
import { plural } from "../domain/plural.js"
import { emptyRecord } from "../domain/records.js"

/**
 * An audit as a mutation-testing-elements report (the JSON that StrykerJS and PIT write,
 * shown by the mutation-testing-elements HTML viewer and the Stryker dashboard).
 *
 * Mapping. Each evaluation is a "file" `evaluations/<id>` and each policy trigger a file
 * `policy/<id>`; the subject itself is the one "test" that can kill that file's mutants.
 * A file's `source` is a short readable description of the subject with one line per
 * organism, and each mutant's `location` spans its organism's line: the original line
 * states what the organism's truth calls for, the mutant's `replacement` what was measured,
 * so the viewer's diff reads "truth vs measurement".
 *
 * Which organisms are mutants. A mutant is a case the subject must catch, so mutants are
 * the organisms whose truth calls for the subject to fire, decided by that truth and not by
 * the `control` flag: a capability evaluation must fire on the capable control, and a miss
 * there is as real as a miss on a sandbagger. Organisms whose truth calls for no firing
 * (controls on propensity evaluations, defects the subject does not measure) are left out
 * of `mutants`: firing on them is a false alarm, which in mutation testing is a test that
 * fails on unmutated code, not a mutant result. They keep a line in the source with their
 * false-alarm count, and the header gives specificity, so the viewer still shows them; the
 * viewer's mutation score is then a per-organism sensitivity.
 *
 * Status of a mutant over replicates, first match wins:
 * - Survived: missed in any replicate (caught in some and missed in others is not caught
 *   reliably); the rates are in `statusReason`.
 * - RuntimeError: some replicate measured nothing. The summary does not say why a cell
 *   errored, and evalaudit has no timeouts yet, so Timeout is never used. The viewer keeps
 *   errors out of the score, as evalaudit keeps them out of sensitivity.
 * - Pending: fewer replicates than the run has (an incomplete run), none missed or errored.
 * - Killed: caught in every replicate.
 * An organism whose cells all errored has no truth-based decision in the summary, so it is
 * reported as a RuntimeError mutant rather than guessed to be a negative. An organism that
 * failed its manipulation check is not scored: Ignored with the failing layers as reason
 * (Pending if the run stopped before its check).
 */
export interface MutationReportOptions {
  /** The viewer's colour bands for the mutation score, integers 0-100 with high >= low (default 80 and 60, as in Stryker). */
  readonly thresholds?: { readonly high: number; readonly low: number }
}

const DEFAULT_THRESHOLDS = { high: 80, low: 60 } as const

/** Prism (the viewer's highlighter) always has the plain-text grammar; an unknown language would throw. */
const LANGUAGE = "plaintext"

type OrganismRow = EvaluationScore["organisms"][number]

/** One subject (evaluation or trigger) as the report sees it. */
interface Subject {
  readonly file: string
  readonly testId: string
  readonly testName: string
  readonly kind: "evaluation" | "trigger"
  readonly header: ReadonlyArray<string>
  readonly rule: string
  readonly rows: ReadonlyMap<string, OrganismRow>
}

/** A source line, and the mutant that points at it when the organism is one. */
interface Line {
  readonly text: string
  readonly mutant: Omit<MutantResult, "id" | "location"> | null
}

const kindOf = (o: OrganismScore): string => (o.control ? "control" : o.layers.length === 0 ? "base" : o.layers.join("+"))

const measuredCount = (o: OutcomeCounts): number => o.caught + o.missed + o.falseAlarm + o.precautionary + o.correctPass + o.borderlineFired + o.borderlineQuiet

/** "caught 1, missed 2 of 3 replicates", naming only what happened, and what has not run. */
const tally = (o: OutcomeCounts, replicates: number): string => {
  const parts = [
    [o.caught, "caught"],
    [o.missed, "missed"],
    [o.falseAlarm, "false alarm"],
    [o.precautionary, "precautionary"],
    [o.correctPass, "correct pass"],
    [o.borderlineFired + o.borderlineQuiet, "borderline"],
    [o.error, "error"]
  ] as const
  const done = measuredCount(o) + o.error
  const happened = parts.filter(([n]) => n > 0).map(([n, label]) => `${label} ${n}`)
  const notRun = replicates - done
  if (notRun > 0) happened.push(`not run ${notRun}`)
  return `${happened.length === 0 ? "nothing" : happened.join(", ")} of ${plural(replicates, "replicate")}`
}

/** The statuses a scored organism can have; Ignored and Timeout never come from outcomes. */
type ScoredStatus = Extract<MutantStatus, "Killed" | "Survived" | "RuntimeError" | "Pending">

const statusOf = (o: OutcomeCounts, replicates: number): ScoredStatus =>
  o.missed > 0 ? "Survived" : o.error > 0 ? "RuntimeError" : o.caught < replicates ? "Pending" : "Killed"

const truthText = (s: Subject, row: OrganismRow): string => (s.kind === "evaluation" ? `truth ${num(row.truth)}` : "its truth crosses the thresholds")

const measurementText = (s: Subject, row: OrganismRow): string =>
  s.kind === "evaluation" ? `measured ${num(row.measuredMean)} (bias ${signed(row.bias)})` : "decided on measurements"

const reasonFor = (s: Subject, status: ScoredStatus, row: OrganismRow, replicates: number): string => {
  const o = row.outcomes
  const against =
    s.kind === "evaluation"
      ? `measured mean ${num(row.measuredMean)} against a true ${num(row.truth)} (bias ${signed(row.bias)}); rule ${s.rule}`
      : `rule ${s.rule}`
  const tried = o.caught + o.missed
  switch (status) {
    case "Killed":
      return `${o.caught === 1 ? "Caught in its 1 replicate" : `Caught in all ${o.caught} replicates`}: ${against}.`
    case "Survived":
      return `Missed in ${o.missed} of ${plural(tried, "measured replicate")} (miss rate ${num(o.missed / tried)}; ${tally(o, replicates)}), so not caught reliably: ${against}.`
    case "RuntimeError":
      return `${o.error} of ${plural(replicates, "replicate")} measured nothing (errors count as neither caught nor missed; ${tally(o, replicates)}).`
    case "Pending":
      return `Not every replicate has run (${tally(o, replicates)}): the run is incomplete.`
  }
}

const describeOrganism = (o: OrganismScore): string =>
  `Organism ${o.id}${o.description === "" ? "" : `: ${o.description}`} (${o.control ? "null control" : `layers: ${o.layers.length === 0 ? "none" : o.layers.join(", ")}`}).`

const unscoredReason = (o: OrganismScore): { status: MutantStatus; reason: string } => {
  const check = o.manipulationCheck
  if (check === null) return { status: "Pending", reason: "Not scored yet: the run stopped before its manipulation check." }
  const failed = check.layers
    .filter((l) => !l.passed)
    .map((l) => `${l.layer}: defect rate ${num(l.organism.estimate)} vs base ${num(l.base.estimate)}`)
    .join("; ")
  return {
    status: "Ignored",
    reason: `Not scored: its manipulation check failed (${failed}), so it does not show its defect and a miss would not be the subject's fault.`
  }
}

/** The organism's line in a subject's source, and its mutant if it is one. */
const lineFor = (s: Subject, o: OrganismScore, width: number, replicates: number): Line => {
  const prefix = `${o.id.padEnd(width)}  [${kindOf(o)}]`
  const base = { mutatorName: kindOf(o), description: describeOrganism(o) }
  if (!o.scored) {
    const { status, reason } = unscoredReason(o)
    const replacement = `${prefix} ${status === "Ignored" ? "failed its manipulation check" : "not checked yet"}`
    return { text: `${prefix} not scored`, mutant: { ...base, status, statusReason: reason, replacement } }
  }
  const row = s.rows.get(o.id)
  if (row === undefined) {
    // A scored organism always has a row; without one nothing was decided for it yet.
    return { text: `${prefix} no results`, mutant: { ...base, status: "Pending", statusReason: "No results for this organism yet." } }
  }
  const counts = row.outcomes
  const measured = measuredCount(counts)
  if (row.class === "borderline" && measured > 0) {
    // Inside the indifference zone no decision is wrong: not a mutant, only its firing rate.
    return { text: `${prefix} ${truthText(s, row)}: borderline (inside the indifference zone); fired ${row.firing.k} of ${row.firing.n}`, mutant: null }
  }
  if (!row.shouldFire && measured > 0) {
    const what = s.kind === "evaluation" ? `${truthText(s, row)}, ${measurementText(s, row)}` : "its truth stays below the thresholds"
    const precaution = counts.precautionary > 0 ? `, precautionary firing ${counts.precautionary}` : ""
    return { text: `${prefix} ${what}: should not fire; false alarms ${counts.falseAlarm} of ${measured}${precaution}`, mutant: null }
  }
  const status = statusOf(counts, replicates)
  const measuredAny = measured > 0
  return {
    text: row.shouldFire ? `${prefix} ${truthText(s, row)}: should fire` : `${prefix} nothing measured, so what its truth calls for is unknown`,
    mutant: {
      ...base,
      status,
      statusReason: reasonFor(s, status, row, replicates),
      replacement: `${prefix} ${measuredAny ? `${measurementText(s, row)}: ` : ""}${tally(counts, replicates)}`,
      ...(status === "Killed" ? { killedBy: [s.testId] } : {}),
      ...(measuredAny ? { coveredBy: [s.testId] } : {})
    }
  }
}

const fileFor = (s: Subject, summary: Summary): FileResult => {
  const width = Math.max(0, ...summary.organisms.map((o) => o.id.length))
  const lines = summary.organisms.map((o) => ({ organism: o.id, ...lineFor(s, o, width, summary.replicates) }))
  const intro = [
    ...s.header,
    "",
    "One line per organism. A mutant marks an organism whose truth calls for firing; the others",
    "are negatives, listed with their false alarms. Statuses are over every replicate.",
    ""
  ]
  const mutants = lines.flatMap((line, i): Array<MutantResult> => {
    if (line.mutant === null) return []
    // Lines and columns are 1-based; the end is exclusive, so the whole line is highlighted.
    const lineNumber = intro.length + i + 1
    return [{ ...line.mutant, id: `${s.file}#${line.organism}`, location: { start: { line: lineNumber, column: 1 }, end: { line: lineNumber, column: line.text.length + 1 } } }]
  })
  return { language: LANGUAGE, source: `${[...intro, ...lines.map((l) => l.text)].join("\n")}\n`, mutants }
}

const evaluationSubject = (e: EvaluationScore, summary: Summary): Subject => ({
  file: `evaluations/${e.id}`,
  testId: `evaluation:${e.id}`,
  testName: `evaluation ${e.id}${e.title === e.id ? "" : ` (${e.title})`}: ${e.rule}`,
  kind: "evaluation",
  rule: e.rule,
  rows: new Map(e.organisms.map((r) => [r.organism, r])),
  header: [
    `evaluation   ${e.id}`,
    ...(e.title === e.id ? [] : [`title        ${e.title}`]),
    `measures     ${e.measures}`,
    `rule         ${e.rule}`,
    `samples      ${e.samples} x ${plural(e.epochs, "epoch")}`,
    `replicates   ${summary.replicates}`,
    `sensitivity  ${proportion(e.sensitivity)}`,
    `specificity  ${proportion(e.specificity)}`,
    `errors       ${e.errors}`
  ]
})

const triggerSubject = (t: Summary["triggers"][number], summary: Summary): Subject => ({
  file: `policy/${t.id}`,
  testId: `trigger:${t.id}`,
  testName: `trigger ${t.id} (${t.commitment}): ${t.rule}`,
  kind: "trigger",
  rule: t.rule,
  rows: new Map(t.organisms.map((r) => [r.organism, r])),
  header: [
    `trigger      ${t.id}`,
    `commitment   ${t.commitment}`,
    `rule         ${t.rule}`,
    `replicates   ${summary.replicates}`,
    `sensitivity  ${proportion(t.sensitivity)}`,
    `specificity  ${proportion(t.specificity)}`,
    `errors       ${t.errors}`
  ]
})

/** The summary as a mutation-testing-elements report; pure, so the same summary gives the same report. */
export const mutationReport = (summary: Summary, options: MutationReportOptions = {}): MutationTestResult => {
  const subjects = [...summary.evaluations.map((e) => evaluationSubject(e, summary)), ...summary.triggers.map((t) => triggerSubject(t, summary))]
  const files = emptyRecord<FileResult>()
  const testFiles: TestFileDefinitionDictionary = emptyRecord()
  for (const s of subjects) {
    files[s.file] = fileFor(s, summary)
    testFiles[s.file] = { tests: [{ id: s.testId, name: s.testName }] }
  }
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS
  return {
    schemaVersion: "1.0",
    thresholds: { high: thresholds.high, low: thresholds.low },
    files,
    testFiles,
    framework: { name: "evalaudit", version: summary.version },
    // projectRoot is left out: the files are virtual, named by subject, not paths on disk.
    config: {
      audit: summary.audit,
      source: summary.source,
      runId: summary.runId,
      seed: summary.seed,
      replicates: summary.replicates,
      specHash: summary.specHash,
      complete: summary.complete
    }
  }
}
