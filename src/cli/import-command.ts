import { Args, Command, Options } from "@effect/cli"
import { FileSystem, Path } from "@effect/platform"
import { Console, Effect, Either, Option, Schema } from "effect"
import { AuditFileError, fromParseError } from "../domain/audit-file-error.js"
import { DatasetFormat, FileDataset } from "../domain/dataset.js"
import { Sample } from "../domain/sample.js"
import { num } from "../report/format.js"
import { readDataset } from "../evaluations/datasets/read-dataset.js"
import { choice, defaulting, integer } from "./option-kinds.js"
import { UsageError } from "./usage-error.js"
import { plural } from "../domain/plural.js"
import { writeFileAtomic } from "./write-file-atomic.js"

const file = Args.file({ name: "dataset", exists: "yes" }).pipe(Args.withDescription("the dataset file to read"))
const format = choice("format", DatasetFormat.literals).pipe(Options.withDescription("the file's format"))
const mode = choice("mode", ["multiple-choice", "match"]).pipe(Options.optional, Options.withDescription("truthfulqa: how answers are asked"))
const prompt = Options.text("prompt").pipe(Options.optional, Options.withDescription("promptfoo: the prompt template when the file has none"))
const fields = Options.text("fields").pipe(Options.optional, Options.withDescription('fields: the field map as JSON, e.g. \'{"input":"question","target":"answer"}\''))
const skip = Options.boolean("skip-bad-records").pipe(Options.withDescription("skip and count malformed records instead of stopping at the first"))
const limit = integer("limit").pipe(Options.optional, Options.withDescription("take a seeded subset of this many samples"))
const stratifyBy = Options.text("stratify-by").pipe(Options.optional, Options.withDescription("metadata field whose values are the subset's strata"))
const seed = integer("seed").pipe(defaulting(1, "seed of the subset"))
const out = Options.file("out").pipe(Options.optional, Options.withDescription("write the samples as evalaudit JSONL (format jsonl) to this file, which must not exist"))
const force = Options.boolean("force").pipe(Options.withDescription("let --out replace an existing file"))

const parseFields = (text: string) =>
  Effect.try({
    try: (): unknown => JSON.parse(text),
    catch: (e) => new AuditFileError({ file: "--fields", path: "", message: `invalid JSON: ${e instanceof Error ? e.message : String(e)}` })
  })

const encodeSample = Schema.encodeSync(Sample)

/**
 * Reads one dataset as an audit would and says what came of it: records, samples, skipped
 * records, the subset, a log's baseline; optionally writes the samples as evalaudit JSONL.
 */
export const importCommand = Command.make(
  "import",
  { file, format, mode, prompt, fields, skip, limit, stratifyBy, seed, out, force },
  Effect.fn("import")(function* (args) {
    const path = yield* Path.Path
    const fs = yield* FileSystem.FileSystem
    // Checked before the dataset is read: an existing file (perhaps the audit itself) is never replaced by surprise.
    if (Option.isSome(args.out) && !args.force && (yield* fs.exists(args.out.value).pipe(Effect.orElseSucceed(() => false)))) {
      return yield* new UsageError({ message: `import never overwrites: ${args.out.value} already exists (give --force to replace it)` })
    }
    const input = {
      path: args.file,
      format: args.format,
      onBadRecord: args.skip ? "skip" : "fail",
      ...Option.match(args.mode, { onNone: () => ({}), onSome: (m) => ({ mode: m }) }),
      ...Option.match(args.prompt, { onNone: () => ({}), onSome: (p) => ({ prompt: p }) }),
      ...(Option.isSome(args.fields) ? { fields: yield* parseFields(args.fields.value) } : {}),
      ...Option.match(args.limit, { onNone: () => ({}), onSome: (n) => ({ limit: n }) }),
      ...Option.match(args.stratifyBy, { onNone: () => ({}), onSome: (f) => ({ stratifyBy: f }) })
    }
    const dataset = yield* Either.mapLeft(
      Schema.decodeUnknownEither(FileDataset, { errors: "all", onExcessProperty: "error" })(input),
      (e) => fromParseError("(command line)", [], e)
    )
    const subset = dataset.limit === undefined ? undefined : { limit: dataset.limit, stratifyBy: dataset.stratifyBy, seed: args.seed }
    const { samples, origin, stratifyProblem } = yield* readDataset(dataset, path.resolve(args.file), subset)
    if (stratifyProblem !== undefined) return yield* new AuditFileError({ file: args.file, path: "--stratify-by", message: stratifyProblem })
    yield* Console.log(`${args.file}: ${plural(origin.records, "record")} (${origin.format}), ${plural(samples.length, "sample")}, ${origin.skipped} skipped`)
    for (const example of origin.skippedExamples) yield* Console.log(`  skipped ${example}`)
    if (origin.subset !== undefined) {
      const strata = Object.entries(origin.subset.strata).map(([k, v]) => `${k} ${v.taken}/${v.available}`)
      const shown = strata.length > 12 ? [...strata.slice(0, 12), `... ${strata.length - 12} more strata`] : strata
      yield* Console.log(`  seeded subset of ${origin.subset.limit} from ${origin.subset.from}${shown.length === 0 ? "" : `: ${shown.join(", ")}`}`)
    }
    const baseline = origin.baseline
    if (baseline !== undefined) {
      const metrics = Object.entries(baseline.metrics).flatMap(([scorer, m]) => Object.entries(m).map(([name, v]) => `${scorer}/${name} ${num(v, 3)}`))
      yield* Console.log(`  baseline: ${baseline.task} on ${baseline.model} (${baseline.status}): ${metrics.join(", ") || "no results"}`)
    }
    if (Option.isSome(args.out)) {
      yield* fs.makeDirectory(path.dirname(args.out.value), { recursive: true })
      yield* writeFileAtomic(args.out.value, samples.map((s) => JSON.stringify(encodeSample(s))).join("\n") + "\n")
      yield* Console.log(`  wrote ${plural(samples.length, "sample")} to ${args.out.value}`)
    }
  })
).pipe(Command.withDescription("read a dataset in any supported format and report (or convert) its samples"))
