import { FileSystem } from "@effect/platform"
import { Effect, Either } from "effect"
import { createHash } from "node:crypto"
import { AuditFileError } from "../domain/audit-file-error.js"
import { isRecord, parseJson } from "../evaluations/datasets/inspect-log.js"
import type { HarnessLog } from "./entry.js"
import { inspectEntriesFromEval, inspectEntriesFromJson } from "./inspect-entries.js"
import { promptfooEntries } from "./promptfoo-entries.js"

/** A harness log read from disk, with the digest its run records. */
export interface ReadLog extends HarnessLog {
  readonly file: string
  readonly sha256: string
}

/** A `.json` document is a promptfoo results file when it has `results.results`, else an Inspect log. */
const fromJson = (document: unknown, scorer: string | undefined): Either.Either<HarnessLog, string> =>
  isRecord(document) && isRecord(document["results"]) && Array.isArray(document["results"]["results"])
    ? promptfooEntries(document)
    : inspectEntriesFromJson(document, scorer)

/**
 * Reads one harness log: an Inspect `.eval` zip, or a `.json` document (an Inspect log or a
 * promptfoo results file, told apart by their shapes). Anything unreadable is an
 * `AuditFileError` naming the file and what was expected there.
 */
export const readHarnessLog = (file: string, scorer: string | undefined) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const bytes = yield* fs.readFile(file).pipe(
      Effect.mapError((e) => new AuditFileError({ file, path: "", message: `cannot read the log (${e.message})` }))
    )
    const parsed = file.toLowerCase().endsWith(".eval")
      ? inspectEntriesFromEval(bytes, scorer)
      : Either.flatMap(
        Either.mapLeft(parseJson(bytes), (e) => `expected a JSON harness log (an Inspect .json log or promptfoo results): ${e}`),
        (document) => fromJson(document, scorer)
      )
    if (Either.isLeft(parsed)) return yield* new AuditFileError({ file, path: "", message: parsed.left })
    return { ...parsed.right, file, sha256: createHash("sha256").update(bytes).digest("hex") } satisfies ReadLog
  })
