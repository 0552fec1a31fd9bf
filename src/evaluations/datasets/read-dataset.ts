import { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Effect, Either, Schema, Stream } from "effect"
import YAML from "yaml"
import { AuditFileError } from "../../domain/audit-file-error.js"
import type { DatasetOrigin, FileDataset } from "../../domain/dataset.js"
import { Sample } from "../../domain/sample.js"
import { anthropicMweSample } from "./anthropic-mwe.js"
import { createCsvParser } from "./csv.js"
import { mappedSample } from "./fields.js"
import { describeParseError, type DocumentRecord, type Imported } from "./imported.js"
import { inspectSample } from "./inspect-dataset.js"
import { inspectLogFromEval, inspectLogFromJson } from "./inspect-log.js"
import { openAiEvalsSample } from "./openai-evals.js"
import { promptfooRecords } from "./promptfoo.js"
import { SampleSink } from "./sample-sink.js"
import type { SubsetRequest } from "./subset.js"
import { truthfulQaSample } from "./truthfulqa.js"
import { describeFileError, unreadableFile } from "./regular-file.js"
import { decodeDocument, INVALID_UTF8, LineSplitter, utf8Text } from "./utf8.js"
import type { GraderSpec } from "../../domain/grader.js"
import { sampleProblem } from "../graders/gradable.js"

export interface ReadDataset {
  readonly samples: ReadonlyArray<Sample>
  readonly origin: DatasetOrigin
  /** The subset's `stratifyBy` field is in no record (the caller knows where the field was given). */
  readonly stratifyProblem?: string
}

const CHUNK_BYTES = 1 << 16

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const decodeSample = Schema.decodeUnknownEither(Sample, { errors: "all", onExcessProperty: "error" })

/** evalaudit's own JSONL: every line is a `Sample`. */
const nativeSample = (value: unknown): Imported => Either.mapLeft(decodeSample(value), describeParseError)

const cannotRead = (file: string, e: PlatformError) => new AuditFileError({ file, path: "", message: `cannot read dataset: ${describeFileError(e)}` })

const invalidUtf8 = (file: string, line: number) => new AuditFileError({ file, line, path: "", message: INVALID_UTF8 })

/**
 * Calls `onLine` for every line with its 1-based number: the text without "\n" (and without
 * a leading BOM), and whether a "\n" ended it. The file streams in chunks of 64 KiB and is
 * split as bytes, so memory stays flat and time linear however long a line; each line must
 * be valid UTF-8. `onLine` returns an error to stop reading.
 */
const streamLines = (file: string, onLine: (text: string, line: number, ended: boolean) => AuditFileError | undefined) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const splitter = new LineSplitter()
    let line = 0
    const emit = (bytes: Uint8Array, ended: boolean): AuditFileError | undefined => {
      line++
      const text = utf8Text(bytes)
      if (text === null) return invalidUtf8(file, line)
      return onLine(line === 1 && text.startsWith("\uFEFF") ? text.slice(1) : text, line, ended)
    }
    yield* fs.stream(file, { chunkSize: FileSystem.Size(CHUNK_BYTES) }).pipe(
      Stream.mapError((e) => cannotRead(file, e)),
      Stream.runForEach((bytes) => {
        for (const text of splitter.push(bytes)) {
          const error = emit(text, true)
          if (error !== undefined) return Effect.fail(error)
        }
        return Effect.void
      })
    )
    const last = splitter.end()
    const error = last === undefined ? undefined : emit(last, false)
    if (error !== undefined) return yield* error
  })

/** JSON Lines: one JSON value a line, blank lines ignored. */
const readJsonLines = (file: string, sink: SampleSink, toSample: (value: unknown, line: number) => Imported) =>
  streamLines(file, (raw, line) => {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw
    if (text.trim() === "") return undefined
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (e) {
      return sink.accept({ line }, Either.left(`invalid JSON: ${reason(e)}`))
    }
    return sink.accept({ line }, toSample(value, line))
  })

/** CSV with a header row; quoted fields may span lines, so records carry the line they start on. */
const readCsv = (file: string, sink: SampleSink, toSample: (row: Record<string, string>, line: number) => Imported) =>
  Effect.gen(function* () {
    const parser = createCsvParser()
    const take = (records: ReturnType<typeof parser.push>): AuditFileError | undefined => {
      for (const record of records) {
        const error =
          "problem" in record
            ? sink.accept({ line: record.line }, Either.left(record.problem))
            : sink.accept({ line: record.line }, toSample(record.fields, record.line))
        if (error !== undefined) return error
      }
      return undefined
    }
    yield* streamLines(file, (text, _line, ended) => take(parser.push(ended ? `${text}\n` : text)))
    const error = take(parser.end())
    if (error !== undefined) return yield* error
  })

const takeDocumentRecords = (sink: SampleSink, records: ReadonlyArray<DocumentRecord>) =>
  Effect.gen(function* () {
    for (const record of records) {
      const error = sink.accept({ where: record.where }, record.sample)
      if (error !== undefined) return yield* error
    }
  })

const documentError = (file: string) => (message: string) => new AuditFileError({ file, path: "", message })

/** A document read whole (promptfoo files and Inspect logs are documents, not record streams). */
const readDocumentText = (file: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const bytes = yield* fs.readFile(file).pipe(Effect.mapError((e) => cannotRead(file, e)))
    return yield* Either.mapLeft(decodeDocument(bytes), (line) => invalidUtf8(file, line))
  })

const parseYaml = (file: string, text: string) =>
  Effect.try({
    try: (): unknown => YAML.parse(text),
    catch: (e) => new AuditFileError({ file, path: "", message: `invalid YAML: ${reason(e)}` })
  })

const parseJson = (file: string, text: string) =>
  Effect.try({
    try: (): unknown => JSON.parse(text),
    catch: (e) => new AuditFileError({ file, path: "", message: `invalid JSON: ${reason(e)}` })
  })

/**
 * Reads a dataset file in its format into samples: records stream through a `SampleSink`
 * that keeps the samples or a seeded subset, and stops at a bad record (with its line) or
 * skips and counts it, as the dataset asks.
 */
export const readDataset = (
  dataset: FileDataset,
  file: string,
  subset: SubsetRequest | undefined,
  grader?: GraderSpec
): Effect.Effect<ReadDataset, AuditFileError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const unreadable = yield* unreadableFile(file)
    if (unreadable !== undefined) return yield* new AuditFileError({ file, path: "", message: `cannot read dataset: ${unreadable}` })
    const check = grader === undefined ? undefined : (sample: Sample) => sampleProblem(grader, sample)
    const sink = new SampleSink(file, dataset.onBadRecord, subset, check)
    const done = (baseline?: DatasetOrigin["baseline"]) => sink.finish(dataset.format, baseline)
    switch (dataset.format) {
      case "jsonl":
        yield* readJsonLines(file, sink, nativeSample)
        return done()
      case "anthropic-mwe":
        yield* readJsonLines(file, sink, anthropicMweSample)
        return done()
      case "openai-evals":
        yield* readJsonLines(file, sink, openAiEvalsSample)
        return done()
      case "fields": {
        const fields = dataset.fields
        if (fields === undefined) return yield* documentError(file)('format "fields" needs a fields map')
        yield* readJsonLines(file, sink, (value, line) => mappedSample(value, line, fields))
        return done()
      }
      case "inspect":
        if (file.toLowerCase().endsWith(".csv")) yield* readCsv(file, sink, inspectSample)
        else yield* readJsonLines(file, sink, inspectSample)
        return done()
      case "truthfulqa": {
        const mode = dataset.mode ?? "multiple-choice"
        yield* readCsv(file, sink, (row, line) => truthfulQaSample(row, line, mode))
        return done()
      }
      case "promptfoo": {
        const text = yield* readDocumentText(file)
        const document = file.toLowerCase().endsWith(".json") ? yield* parseJson(file, text) : yield* parseYaml(file, text)
        const records = yield* Either.mapLeft(promptfooRecords(document, { prompt: dataset.prompt }), documentError(file))
        yield* takeDocumentRecords(sink, records)
        return done()
      }
      case "inspect-log": {
        const fs = yield* FileSystem.FileSystem
        const log = file.toLowerCase().endsWith(".eval")
          ? inspectLogFromEval(yield* fs.readFile(file).pipe(Effect.mapError((e) => cannotRead(file, e))))
          : inspectLogFromJson(yield* parseJson(file, yield* readDocumentText(file)))
        const { records, baseline } = yield* Either.mapLeft(log, documentError(file))
        yield* takeDocumentRecords(sink, records)
        return done(baseline)
      }
    }
  })
