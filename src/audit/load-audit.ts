import { importAuditModule } from "./import-module.js"
import { FileSystem, Path } from "@effect/platform"
import { Effect } from "effect"
import YAML from "yaml"
import type { ResolvedAudit } from "../domain/audit.js"
import type { Dataset, ResolvedDataset } from "../domain/dataset.js"
import { duplicateSampleIds } from "../domain/sample.js"
import { readDataset } from "../evaluations/datasets/read-dataset.js"
import { AuditFileError, type Locate } from "../domain/audit-file-error.js"
import { decodeAuditSpec, pairComparisons, resolveInlineDataset, withRunSeed, withSamples, type LoadOptions } from "./inline-audit.js"

export type { LoadOptions }

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** An audit file's value, and how to find the line of a path in it (YAML keeps positions). */
interface AuditValue {
  readonly value: unknown
  readonly locate?: Locate
}

/** Lines of YAML nodes: a path that does not exist (a missing field) points at its nearest existing parent. */
const yamlLocator = (document: YAML.Document, lines: YAML.LineCounter): Locate => (path) => {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = document.getIn(path.slice(0, n).map((key) => (typeof key === "symbol" ? String(key) : key)), true)
    if (YAML.isNode(node) && node.range !== undefined && node.range !== null) return lines.linePos(node.range[0]).line
  }
  return undefined
}

const parseYamlAudit = (file: string, text: string): Effect.Effect<AuditValue, AuditFileError> => {
  const lines = new YAML.LineCounter()
  const document = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false })
  const problem = document.errors[0]
  if (problem !== undefined) {
    return Effect.fail(
      new AuditFileError({ file, line: lines.linePos(problem.pos[0]).line, path: "", message: `invalid YAML: ${problem.message}` })
    )
  }
  const value: unknown = document.toJS()
  if (value === null || value === undefined) return Effect.fail(new AuditFileError({ file, path: "", message: "the file is empty; expected an audit (name, evaluations, organisms)" }))
  return Effect.succeed({ value, locate: yamlLocator(document, lines) })
}

/** The audit value a file holds: a module's default export, or a YAML or JSON document. */
const readAuditValue = (file: string): Effect.Effect<AuditValue, AuditFileError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const exists = yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false))
    if (!exists) return yield* new AuditFileError({ file, path: "", message: "file not found" })
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
    const text = yield* fs.readFileString(file).pipe(
      Effect.mapError((e) => new AuditFileError({ file, path: "", message: `cannot read: ${e.message}` }))
    )
    if (isYaml) return yield* parseYamlAudit(file, text)
    return yield* Effect.try({
      try: (): AuditValue => ({ value: JSON.parse(text) }),
      catch: (e) => new AuditFileError({ file, path: "", message: `invalid JSON: ${reason(e)}` })
    })
  })

const resolveDataset = (
  dataset: Dataset,
  auditFile: string,
  index: number,
  seed: number
): Effect.Effect<ResolvedDataset, AuditFileError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    if ("samples" in dataset) return yield* resolveInlineDataset(dataset, seed, auditFile, index)
    const path = yield* Path.Path
    const file = path.resolve(path.dirname(auditFile), dataset.path)
    const subset = dataset.limit === undefined ? undefined : { limit: dataset.limit, stratifyBy: dataset.stratifyBy, seed }
    const { samples, origin } = yield* readDataset(dataset, file, subset)
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
    const { $schema: _, ...spec } = withRunSeed(yield* decodeAuditSpec(value, file, locate), options)
    const evaluations = yield* Effect.forEach(spec.evaluations, (evaluation, i) =>
      resolveDataset(evaluation.dataset, absolute, i, spec.seed).pipe(Effect.flatMap((dataset) => withSamples(evaluation, i, dataset, file)))
    )
    // Absolute: the memo's reproduction command and `diff` must not depend on where the run was started.
    return { ...spec, evaluations: yield* pairComparisons(spec, evaluations, file), source: absolute }
  })
