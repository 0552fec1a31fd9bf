import { importAuditModule } from "./import-module.js"
import { FileSystem, Path } from "@effect/platform"
import { Effect, Either } from "effect"
import type { ResolvedAudit } from "../domain/audit.js"
import type { ResolvedDataset } from "../domain/dataset.js"
import type { Evaluation } from "../domain/evaluation.js"
import { duplicateSampleIds } from "../domain/sample.js"
import { readDataset } from "../evaluations/datasets/read-dataset.js"
import { AuditFileError, errorAt, type Locate } from "../domain/audit-file-error.js"
import { describeFileError, unreadableFile } from "../evaluations/datasets/regular-file.js"
import { decodeDocument, INVALID_UTF8 } from "../evaluations/datasets/utf8.js"
import { shapeProblem } from "./audit-shape.js"
import { type AuditValue, parseJsonAudit, parseYamlAudit } from "./parse-audit-text.js"
import { decodeAuditSpec, pairComparisons, resolveInlineDataset, withRunSeed, withSamples, type LoadOptions } from "./inline-audit.js"

export type { LoadOptions }

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** A value's shape problem (not a mapping, too deep, a `__proto__` key) as the file's error, at its line when known. */
const shapeError = (file: string, value: unknown, locate?: Locate): AuditFileError | undefined => {
  const problem = shapeProblem(value)
  return problem === undefined ? undefined : errorAt(file, problem.path, problem.message, locate)
}

/** The audit value a file holds: a module's default export, or a YAML or JSON document. */
const readAuditValue = (file: string): Effect.Effect<AuditValue, AuditFileError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const unreadable = yield* unreadableFile(file)
    if (unreadable !== undefined) return yield* new AuditFileError({ file, path: "", message: unreadable === "no such file" ? "file not found" : unreadable })
    if (/\.(ts|mts|js|mjs)$/.test(file)) {
      const module = yield* Effect.tryPromise({
        try: () => importAuditModule(file),
        catch: (e) => new AuditFileError({ file, path: "", message: `cannot load module: ${reason(e)}` })
      })
      if (!("default" in module)) {
        return yield* new AuditFileError({ file, path: "default export", message: "expected `export default defineAudit({...})`" })
      }
      return { value: module["default"] }
    }
    const isYaml = /\.ya?ml$/.test(file)
    if (!isYaml && !file.endsWith(".json")) {
      return yield* new AuditFileError({ file, path: "", message: "expected a .ts, .js, .yaml, .yml or .json audit file" })
    }
    const bytes = yield* fs.readFile(file).pipe(Effect.mapError((e) => new AuditFileError({ file, path: "", message: `cannot read: ${describeFileError(e)}` })))
    const text = yield* Either.mapLeft(decodeDocument(bytes), (line) => new AuditFileError({ file, line, path: "", message: INVALID_UTF8 }))
    if (text.trim() === "") return yield* new AuditFileError({ file, path: "", message: "the file is empty; expected an audit (name, evaluations, organisms)" })
    return yield* isYaml ? parseYamlAudit(file, text) : parseJsonAudit(file, text, (value) => shapeError(file, value))
  })

const resolveDataset = (
  evaluation: Evaluation,
  /** The audit file, absolute (dataset paths are relative to it) and as given (for messages). */
  audit: { readonly absolute: string; readonly shown: string },
  index: number,
  seed: number,
  locate?: Locate
): Effect.Effect<ResolvedDataset, AuditFileError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const dataset = evaluation.dataset
    const auditFile = audit.shown
    if ("samples" in dataset) return yield* resolveInlineDataset(dataset, seed, auditFile, index, evaluation.grader, locate)
    const path = yield* Path.Path
    const file = path.resolve(path.dirname(audit.absolute), dataset.path)
    const unreadable = yield* unreadableFile(file)
    // Reported at the audit's `dataset.path`, where the fix goes.
    if (unreadable !== undefined) return yield* errorAt(auditFile, ["evaluations", index, "dataset", "path"], `${unreadable}: ${dataset.path}`, locate)
    const subset = dataset.limit === undefined ? undefined : { limit: dataset.limit, stratifyBy: dataset.stratifyBy, seed }
    const { samples, origin, stratifyProblem } = yield* readDataset(dataset, file, subset, evaluation.grader)
    if (stratifyProblem !== undefined) return yield* errorAt(auditFile, ["evaluations", index, "dataset", "stratifyBy"], stratifyProblem, locate)
    const [first, ...rest] = samples
    if (first === undefined) {
      const skipped = origin.skipped === 0 ? "" : ` (${origin.skipped} bad records skipped)`
      return yield* new AuditFileError({ file: auditFile, path: `evaluations[${index}].dataset.path`, message: `dataset ${dataset.path} has no samples${skipped}` })
    }
    const repeated = duplicateSampleIds(samples)
    if (repeated.length > 0) {
      return yield* new AuditFileError({ file, path: "", message: `unique sample ids expected; repeated: ${repeated.slice(0, 5).join(", ")}` })
    }
    return { source: dataset.path, samples: [first, ...rest], origin }
  })

/**
 * Loads, validates and resolves an audit file: the spec passes the `AuditSpec` schema,
 * every dataset is read, and every sample must be gradable by its evaluation's grader.
 * With `options.seed` (the run's `--seed`) the audit is resolved under that seed: its
 * `seed` is it and its subsets are drawn with it.
 */
export const loadAudit = (
  file: string,
  options: LoadOptions = {}
): Effect.Effect<ResolvedAudit, AuditFileError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const path = yield* Path.Path
    const absolute = path.resolve(file)
    const { value, locate } = yield* readAuditValue(absolute)
    const unfit = shapeError(file, value, locate)
    if (unfit !== undefined) return yield* unfit
    const { $schema: _, ...spec } = withRunSeed(yield* decodeAuditSpec(value, file, locate), options)
    const evaluations = yield* Effect.forEach(spec.evaluations, (evaluation, i) =>
      resolveDataset(evaluation, { absolute, shown: file }, i, spec.seed, locate).pipe(Effect.map((dataset) => withSamples(evaluation, dataset)))
    )
    // Absolute: the memo's reproduction command and `diff` must not depend on where the run was started.
    return { ...spec, evaluations: yield* pairComparisons(spec, evaluations, file), source: absolute }
  })
