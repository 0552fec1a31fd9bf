import { Either, ParseResult } from "effect"
import type { Sample } from "../../domain/sample.js"

/**
 * What an importer makes of one record of a foreign dataset: a sample, or what is wrong
 * with the record (a field and what was expected, e.g. `question: expected a string`).
 * Importers are pure: the loader reads the file, numbers the records and decides whether
 * a bad record stops the import or is skipped and counted.
 */
export type Imported = Either.Either<Sample, string>

/** One record of a document-shaped dataset (a log, a YAML file), with where it sits in it. */
export interface DocumentRecord {
  /** Where the record is, for messages: `samples[3]`, `tests[0]`. */
  readonly where: string
  readonly sample: Imported
}

/** A schema failure as one line: `field.path: message` for every issue, joined by "; ". */
export const describeParseError = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => {
      const path = issue.path
        .map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
        .join("")
      return path === "" ? issue.message : `${path}: ${issue.message}`
    })
    .join("; ")
