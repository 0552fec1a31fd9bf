import { Either } from "effect"
import { AuditFileError } from "../../domain/audit-file-error.js"
import type { DatasetFormat, DatasetOrigin } from "../../domain/dataset.js"
import type { Sample } from "../../domain/sample.js"
import type { Imported } from "./imported.js"
import { RESERVED_KEY, reservedKeyMessage } from "../../domain/records.js"
import { SubsetCollector, type SubsetRequest } from "./subset.js"

/** Where a record sits: a line of a line-oriented file, or a place in a document. */
export type RecordPlace = { readonly line: number } | { readonly where: string }

const SKIPPED_EXAMPLES = 5

/** Sample metadata with a `__proto__` key: no record on the way (a schema, the store's JSON) can keep it. */
const reservedKeyProblem = (sample: Sample): string | null =>
  sample.metadata !== undefined && Object.hasOwn(sample.metadata, RESERVED_KEY) ? `metadata: ${reservedKeyMessage}` : null

const describePlace = (place: RecordPlace): string => ("line" in place ? `line ${place.line}` : place.where)

/**
 * Receives a dataset's records as they are read: keeps the samples (or a seeded subset of
 * them), and either stops at the first bad record with its place or skips and counts bad
 * records. Holds no more than the samples kept.
 */
export class SampleSink {
  private readonly all: Array<Sample> = []
  private readonly subset: SubsetCollector | undefined
  private records = 0
  private skipped = 0
  private readonly skippedExamples: Array<string> = []

  /**
   * `check` says what a sample lacks for the evaluation's grader: such a record is bad like a
   * malformed one (it would score 0 on every response and look like a miss), and every record
   * is checked, not only those a subset keeps.
   */
  constructor(
    private readonly file: string,
    private readonly onBadRecord: "fail" | "skip",
    subset: SubsetRequest | undefined,
    private readonly check?: (sample: Sample) => string | null
  ) {
    this.subset = subset === undefined ? undefined : new SubsetCollector(subset)
  }

  /** Takes one record (a record that could not be parsed comes as a Left); returns the error that stops the import, if any. */
  accept(place: RecordPlace, imported: Imported): AuditFileError | undefined {
    this.records++
    if (Either.isLeft(imported)) return this.bad(place, imported.left)
    const problem = reservedKeyProblem(imported.right) ?? this.check?.(imported.right) ?? null
    if (problem !== null) return this.bad(place, problem)
    if (this.subset === undefined) {
      this.all.push(imported.right)
      return undefined
    }
    const unfit = this.subset.add(imported.right)
    // Not a bad record but a bad request: it stops the import whatever onBadRecord says.
    return unfit === undefined ? undefined : new AuditFileError({ file: this.file, path: "", message: unfit })
  }

  private bad(place: RecordPlace, problem: string): AuditFileError | undefined {
    if (this.onBadRecord === "fail") {
      return "line" in place
        ? new AuditFileError({ file: this.file, line: place.line, path: "", message: problem })
        : new AuditFileError({ file: this.file, path: place.where, message: problem })
    }
    this.skipped++
    if (this.skippedExamples.length < SKIPPED_EXAMPLES) this.skippedExamples.push(`${describePlace(place)}: ${problem}`)
    return undefined
  }

  /**
   * The samples kept and how they were read; `stratifyProblem` when the subset's `stratifyBy`
   * field is in no record (a misspelt field would put every record in one stratum).
   */
  finish(
    format: DatasetFormat,
    baseline?: DatasetOrigin["baseline"]
  ): { readonly samples: ReadonlyArray<Sample>; readonly origin: DatasetOrigin; readonly stratifyProblem?: string } {
    const picked = this.subset?.result()
    const stratifyProblem = this.subset?.absentField()
    return {
      ...(stratifyProblem === undefined ? {} : { stratifyProblem }),
      samples: picked === undefined ? this.all : picked.samples,
      origin: {
        format,
        records: this.records,
        skipped: this.skipped,
        skippedExamples: this.skippedExamples,
        ...(picked === undefined ? {} : { subset: picked.taken }),
        ...(baseline === undefined ? {} : { baseline })
      }
    }
  }
}
