import { FileSystem, Path } from "@effect/platform"
import { Effect, Schema } from "effect"
import { pathToFileURL } from "node:url"
import type { ResolvedAudit } from "../domain/audit.js"
import type { Dataset, ResolvedEvaluation } from "../domain/evaluation.js"
import { duplicateSampleIds, Sample } from "../domain/sample.js"
import { AuditFileError, fromParseError } from "./audit-file-error.js"
import { decodeAuditSpec, withSamples } from "./inline-audit.js"

const decodeSample = Schema.decodeUnknown(Sample, { errors: "all", onExcessProperty: "error" })

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** The audit value a file holds: a module's default export, or a JSON document. */
const readAuditValue = (file: string): Effect.Effect<unknown, AuditFileError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const exists = yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false))
    if (!exists) return yield* new AuditFileError({ file, path: "", message: "file not found" })
    if (/\.(ts|mts|js|mjs)$/.test(file)) {
      const module = yield* Effect.tryPromise({
        try: (): Promise<Record<string, unknown>> => import(pathToFileURL(file).href),
        catch: (e) => new AuditFileError({ file, path: "", message: `cannot load module: ${reason(e)}` })
      })
      if (!("default" in module)) {
        return yield* new AuditFileError({ file, path: "default export", message: "expected `export default defineAudit({...})`" })
      }
      return module["default"]
    }
    if (file.endsWith(".json")) {
      const text = yield* fs.readFileString(file).pipe(
        Effect.mapError((e) => new AuditFileError({ file, path: "", message: `cannot read: ${e.message}` }))
      )
      return yield* Effect.try({
        try: (): unknown => JSON.parse(text),
        catch: (e) => new AuditFileError({ file, path: "", message: `invalid JSON: ${reason(e)}` })
      })
    }
    return yield* new AuditFileError({ file, path: "", message: "expected a .ts, .js or .json audit file" })
  })

/** Reads a JSONL dataset line by line; every bad line is reported with its number and field. */
const readJsonlDataset = (file: string): Effect.Effect<ReadonlyArray<Sample>, AuditFileError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(file).pipe(
      Effect.mapError((e) => new AuditFileError({ file, path: "", message: `cannot read dataset: ${e.message}` }))
    )
    const samples: Array<Sample> = []
    const lines = text.split(/\r?\n/)
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]?.trim() ?? ""
      if (line === "") continue
      const where = `line ${i + 1}`
      const value = yield* Effect.try({
        try: (): unknown => JSON.parse(line),
        catch: (e) => new AuditFileError({ file, path: where, message: `invalid JSON: ${reason(e)}` })
      })
      const sample = yield* decodeSample(value).pipe(
        Effect.mapError((e) => {
          const err = fromParseError(file, [], e)
          return new AuditFileError({ file, path: `${where}${err.path === "" ? "" : `, ${err.path}`}`, message: err.message })
        })
      )
      samples.push(sample)
    }
    return samples
  })

const resolveDataset = (
  dataset: Dataset,
  auditFile: string,
  index: number
): Effect.Effect<ResolvedEvaluation["dataset"], AuditFileError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    if ("samples" in dataset) return { source: "inline", samples: dataset.samples }
    const path = yield* Path.Path
    const file = path.resolve(path.dirname(auditFile), dataset.path)
    const samples = yield* readJsonlDataset(file)
    if (samples.length === 0) {
      return yield* new AuditFileError({ file: auditFile, path: `evaluations[${index}].dataset.path`, message: `dataset ${dataset.path} has no samples` })
    }
    const repeated = duplicateSampleIds(samples)
    if (repeated.length > 0) {
      return yield* new AuditFileError({ file, path: "", message: `unique sample ids expected; repeated: ${repeated.slice(0, 5).join(", ")}` })
    }
    return { source: dataset.path, samples }
  })

/**
 * Loads, validates and resolves an audit file: the spec passes the `AuditSpec` schema,
 * every dataset is read, and every sample must be gradable by its evaluation's grader.
 */
export const loadAudit = (
  file: string
): Effect.Effect<ResolvedAudit, AuditFileError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const path = yield* Path.Path
    const absolute = path.resolve(file)
    const value = yield* readAuditValue(absolute)
    const spec = yield* decodeAuditSpec(value, file)
    const evaluations = yield* Effect.forEach(spec.evaluations, (evaluation, i) =>
      resolveDataset(evaluation.dataset, absolute, i).pipe(Effect.flatMap((dataset) => withSamples(evaluation, i, dataset, file)))
    )
    return { ...spec, evaluations, source: path.relative(process.cwd(), absolute) || file }
  })
