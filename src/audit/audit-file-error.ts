import { ParseResult, Schema } from "effect"

/** Bad input in an audit or dataset file: names the file, the place inside it and what was expected. */
export class AuditFileError extends Schema.TaggedError<AuditFileError>()("AuditFileError", {
  file: Schema.String,
  /** Where in the file, e.g. `evaluations[2].decision.threshold` or `line 14`. */
  path: Schema.String,
  message: Schema.String
}) {
  override toString(): string {
    return `${this.file}${this.path === "" ? "" : `: ${this.path}`}: ${this.message}`
  }
}

const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`),
    ""
  )

/** One AuditFileError per schema issue, all of them in one message so a user fixes a file in one go. */
export const fromParseError = (file: string, prefix: ReadonlyArray<PropertyKey>, error: ParseResult.ParseError): AuditFileError => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  const lines = issues.map((i) => `${formatPath([...prefix, ...i.path]) || "(top level)"}: ${i.message}`)
  if (issues.length > 1) return new AuditFileError({ file, path: "", message: `${lines.length} problems:\n  ${lines.join("\n  ")}` })
  return new AuditFileError({
    file,
    path: formatPath([...prefix, ...(first?.path ?? [])]),
    message: first?.message ?? error.message
  })
}
