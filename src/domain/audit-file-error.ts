import { ParseResult, Schema } from "effect"

/** Bad input in an audit or dataset file: names the file, the place inside it and what was expected. */
export class AuditFileError extends Schema.TaggedError<AuditFileError>()("AuditFileError", {
  file: Schema.String,
  /** The 1-based line, when known (dataset records, YAML audits). */
  line: Schema.optional(Schema.Number),
  /** Where in the file, e.g. `evaluations[2].decision.threshold` or `samples[3]`. */
  path: Schema.String,
  message: Schema.String
}) {
  /** `file:line: path: message`, the form editors and terminals link to. */
  override toString(): string {
    const at = this.line === undefined ? this.file : `${this.file}:${this.line}`
    return `${at}${this.path === "" ? "" : `: ${this.path}`}: ${this.message}`
  }
}

export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`),
    ""
  )

/** The line a path into the file starts on, when the file's format keeps positions (YAML). */
export type Locate = (path: ReadonlyArray<PropertyKey>) => number | undefined

/** One AuditFileError per schema issue, all of them in one message so a user fixes a file in one go. */
export const fromParseError = (
  file: string,
  prefix: ReadonlyArray<PropertyKey>,
  error: ParseResult.ParseError,
  locate: Locate = () => undefined
): AuditFileError => {
  const all = ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => {
    const path = [...prefix, ...i.path]
    return { path: formatPath(path), line: locate(path), message: i.message }
  })
  // An optional field that fails also fails its "or undefined" alternative; that echo says nothing new.
  const issues = all.filter(
    (i) => !(i.message.startsWith("Expected undefined, actual") && all.some((o) => o !== i && o.path.startsWith(i.path) && !o.message.startsWith("Expected undefined")))
  )
  const first = issues[0]
  if (issues.length > 1) {
    const lines = issues.map((i) => `${i.line === undefined ? "" : `line ${i.line}: `}${i.path || "(top level)"}: ${i.message}`)
    return new AuditFileError({ file, path: "", message: `${lines.length} problems:\n  ${lines.join("\n  ")}` })
  }
  return new AuditFileError({
    file,
    ...(first?.line === undefined ? {} : { line: first.line }),
    path: first?.path ?? "",
    message: first?.message ?? error.message
  })
}

/** An error at `path` in the file, with its line when the file's format keeps positions. */
export const errorAt = (file: string, path: ReadonlyArray<PropertyKey>, message: string, locate?: Locate): AuditFileError => {
  const line = locate?.(path)
  return new AuditFileError({ file, ...(line === undefined ? {} : { line }), path: formatPath(path), message })
}
