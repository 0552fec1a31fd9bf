import { Effect, Either, Schema } from "effect"
import { expandShorthands } from "../domain/archetype.js"
import { comparisonProblems } from "../domain/comparison.js"
import { expandHeldOut } from "../organisms/heldout/expand.js"
import { AuditSpec, type ResolvedAudit } from "../domain/audit.js"
import type { ResolvedDataset } from "../domain/dataset.js"
import type { Evaluation, ResolvedEvaluation } from "../domain/evaluation.js"
import { SubsetCollector } from "../evaluations/datasets/subset.js"
import { AuditFileError, errorAt, fromParseError, type Locate } from "../domain/audit-file-error.js"
import { sampleProblem } from "../evaluations/graders/gradable.js"
import { shapeProblem } from "./audit-shape.js"
import type { GraderSpec } from "../domain/grader.js"
import type { Sample } from "../domain/sample.js"

/** Copies audit-wide settings into the evaluations that do not set their own, so each stored evaluation says how it was run. */
const withAuditDefaults = (spec: AuditSpec): AuditSpec => {
  const sequential = spec.sequential
  if (sequential === undefined) return spec
  const [first, ...rest] = spec.evaluations.map((e) => (e.sequential === undefined ? { ...e, sequential } : e))
  return first === undefined ? spec : { ...spec, evaluations: [first, ...rest] }
}

/** How an audit is loaded: the seed of the run it is loaded for. */
export interface LoadOptions {
  /**
   * The run's seed (`--seed`); default: the audit's `seed`. It becomes the resolved audit's
   * `seed` and draws its subsets, so the subsets are the ones the run measures.
   */
  readonly seed?: number | undefined
}

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === "object" && v !== null && !Array.isArray(v)

/**
 * `search.seed` was a second seed beside the run's; it is gone so that `--seed` alone decides
 * every random choice of a run. An old file saying it is told so, not silently reseeded.
 */
const removedSearchSeed = (value: unknown, file: string, locate?: Locate): AuditFileError | undefined => {
  const search = isRecord(value) ? value["search"] : undefined
  if (!isRecord(search) || !("seed" in search)) return undefined
  const line = locate?.(["search", "seed"])
  return new AuditFileError({
    file,
    ...(line === undefined ? {} : { line }),
    path: "search.seed",
    message: "the search has no seed of its own: it is seeded by the run's seed (--seed, else the audit's `seed`); remove search.seed"
  })
}

/** Decodes an audit value (unknown fields are errors, so typos do not pass silently). */
export const decodeAuditSpec = (value: unknown, file: string, locate?: Locate): Effect.Effect<AuditSpec, AuditFileError> => {
  const removed = removedSearchSeed(value, file, locate)
  if (removed !== undefined) return Effect.fail(removed)
  return Either.match(Either.flatMap(expandShorthands(value), expandHeldOut), {
    onLeft: ({ path, error }) => Effect.fail(fromParseError(file, path, error, locate)),
    onRight: (expanded) =>
      Schema.decodeUnknown(AuditSpec, { errors: "all", onExcessProperty: "error" })(expanded).pipe(
        Effect.mapError((e) => fromParseError(file, [], e, locate)),
        Effect.map(withAuditDefaults)
      )
  })
}

/** The spec as run with `options.seed`: the seed every later step (subsets, the run) reads. */
export const withRunSeed = <A extends { readonly seed: number }>(spec: A, options: LoadOptions): A =>
  options.seed === undefined ? spec : { ...spec, seed: options.seed }

/** Attaches read (and checked) samples to an evaluation. */
export const withSamples = (evaluation: Evaluation, dataset: ResolvedDataset): ResolvedEvaluation => ({ ...evaluation, dataset })

/** The first sample of an inline dataset its grader cannot grade, at its place, with a count of the others. */
const ungradable = (grader: GraderSpec, samples: ReadonlyArray<Sample>, file: string, index: number, locate?: Locate): AuditFileError | undefined => {
  const problems = samples.flatMap((sample, i) => {
    const problem = sampleProblem(grader, sample)
    return problem === null ? [] : [{ i, text: `sample "${sample.id}": ${problem}` }]
  })
  const [first] = problems
  if (first === undefined) return undefined
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more sample${problems.length === 2 ? "" : "s"} that cannot be graded)` : ""
  return errorAt(file, ["evaluations", index, "dataset", "samples", first.i], `${first.text}${more}`, locate)
}

/**
 * An inline dataset as resolved: all its samples, or the seeded subset it asks for. Every
 * sample must be gradable by the evaluation's grader, those outside the subset too.
 */
export const resolveInlineDataset = (
  dataset: { readonly samples: ResolvedDataset["samples"]; readonly limit?: number | undefined; readonly stratifyBy?: string | undefined },
  seed: number,
  file: string,
  index: number,
  grader: GraderSpec,
  locate?: Locate
): Effect.Effect<ResolvedDataset, AuditFileError> => {
  const refused = ungradable(grader, dataset.samples, file, index, locate)
  if (refused !== undefined) return Effect.fail(refused)
  if (dataset.limit === undefined) return Effect.succeed({ source: "inline", samples: dataset.samples })
  const collector = new SubsetCollector({ limit: dataset.limit, stratifyBy: dataset.stratifyBy, seed })
  for (const sample of dataset.samples) {
    const problem = collector.add(sample)
    if (problem !== undefined) return Effect.fail(new AuditFileError({ file, path: `evaluations[${index}].dataset`, message: problem }))
  }
  const absent = collector.absentField()
  if (absent !== undefined) return Effect.fail(errorAt(file, ["evaluations", index, "dataset", "stratifyBy"], absent, locate))
  const { samples, taken } = collector.result()
  const [first, ...rest] = samples
  // A positive limit over a non-empty dataset keeps at least one sample.
  if (first === undefined) return Effect.succeed({ source: "inline", samples: dataset.samples })
  return Effect.succeed({
    source: "inline",
    samples: [first, ...rest],
    origin: { format: "inline", records: dataset.samples.length, skipped: 0, skippedExamples: [], subset: taken }
  })
}

/**
 * Checks the compared evaluations once their samples are read (a file dataset's ids are
 * known only then) and pairs their randomness: each comparison's second arm draws what
 * its first does.
 */
export const pairComparisons = (
  spec: AuditSpec,
  evaluations: ResolvedAudit["evaluations"],
  file: string
): Effect.Effect<ResolvedAudit["evaluations"], AuditFileError> => {
  const problems = comparisonProblems(
    spec.comparisons,
    evaluations.map((e) => ({ id: e.id, measures: e.measures, sampleIds: e.dataset.samples.map((s) => s.id) }))
  )
  const first = problems[0]
  if (first !== undefined) {
    return Effect.fail(new AuditFileError({ file, path: first.path.map(String).join("."), message: problems.map((p) => p.message).join("; ") }))
  }
  // Every evaluation linked by comparisons (a chain a-b, b-c, or arms shared) draws the
  // randomness of one of them, whatever order the comparisons are listed in.
  const parent = new Map<string, string>()
  const root = (id: string): string => {
    const p = parent.get(id)
    return p === undefined || p === id ? id : root(p)
  }
  for (const c of spec.comparisons) {
    const [a, b] = [root(c.a), root(c.b)]
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b)
  }
  const [head, ...rest] = evaluations.map((e) => {
    const shared = root(e.id)
    return shared === e.id && !parent.has(e.id) ? e : { ...e, randomness: shared }
  })
  return head === undefined ? Effect.succeed(evaluations) : Effect.succeed([head, ...rest])
}

/**
 * Validates an audit built in code whose datasets are all inline (generated audits,
 * benchmarks, tests) and resolves it without any file access.
 */
export const resolveInlineAudit = (input: unknown, source: string, options: LoadOptions = {}): Effect.Effect<ResolvedAudit, AuditFileError> =>
  Effect.gen(function* () {
    const unfit = shapeProblem(input)
    if (unfit !== undefined) return yield* errorAt(source, unfit.path, unfit.message)
    const { $schema: _, ...spec } = withRunSeed(yield* decodeAuditSpec(input, source), options)
    const evaluations = yield* Effect.forEach(spec.evaluations, (e, i) =>
      "samples" in e.dataset
        ? resolveInlineDataset(e.dataset, spec.seed, source, i, e.grader).pipe(Effect.map((dataset) => withSamples(e, dataset)))
        : Effect.fail(new AuditFileError({ file: source, path: `evaluations[${i}].dataset`, message: "expected inline samples; use loadAudit for file datasets" }))
    )
    return { ...spec, evaluations: yield* pairComparisons(spec, evaluations, source), source }
  })
