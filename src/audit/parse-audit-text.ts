import { Either } from "effect"
import YAML from "yaml"
import { AuditFileError, type Locate } from "../domain/audit-file-error.js"

/** An audit file's value, and how to find the line of a path in it. */
export interface AuditValue {
  readonly value: unknown
  readonly locate?: Locate
}

/** yaml's own limit, stated: an alias bomb expands far beyond it. */
const MAX_ALIAS_COUNT = 100

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const TOO_DEEP = "nested too deeply to read (more than a few thousand levels); an audit needs far fewer"

const described = (message: string): string => (message.includes("Maximum call stack") ? TOO_DEEP : message)

const keyText = (node: unknown): string | undefined => (YAML.isScalar(node) ? String(node.value) : undefined)

/**
 * The line of a path in a YAML (or JSON) document: the key's own line for a mapping entry,
 * so a misspelt key is reported where it is written, not where its value starts; a path that
 * does not exist (a missing field) points at its nearest existing parent.
 */
const yamlLocator = (document: YAML.Document, lines: YAML.LineCounter): Locate => (path) => {
  const lineOf = (node: unknown): number | undefined =>
    YAML.isNode(node) && node.range !== undefined && node.range !== null ? lines.linePos(node.range[0]).line : undefined
  let node: unknown = document.contents
  let line = lineOf(node)
  for (const key of path) {
    if (YAML.isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(key))
      if (pair === undefined) return line
      line = lineOf(pair.key) ?? line
      node = pair.value
    } else if (YAML.isSeq(node) && typeof key === "number") {
      node = node.items[key]
      line = lineOf(node) ?? line
      if (node === undefined) return line
    } else {
      return line
    }
  }
  return line
}

const firstAlias = (document: YAML.Document, name: string): YAML.Alias | undefined => {
  let found: YAML.Alias | undefined
  YAML.visit(document, {
    Alias: (_, alias) => {
      if (alias.source !== name) return undefined
      found = alias
      return YAML.visit.BREAK
    }
  })
  return found
}

/** The document's value; aliases are the only way YAML's value can fail after parsing. */
const documentValue = (file: string, document: YAML.Document, lines: YAML.LineCounter): Either.Either<unknown, AuditFileError> => {
  try {
    return Either.right(document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }))
  } catch (e) {
    const message = reason(e)
    const unresolved = /^Unresolved alias[^:]*: (.*)$/.exec(message)
    if (unresolved !== null) {
      const range = firstAlias(document, unresolved[1] ?? "")?.range
      return Either.left(
        new AuditFileError({
          file,
          ...(range === undefined || range === null ? {} : { line: lines.linePos(range[0]).line }),
          path: "",
          message: `invalid YAML: alias *${unresolved[1] ?? ""} comes before its anchor &${unresolved[1] ?? ""}; define the anchor first`
        })
      )
    }
    if (message.includes("Excessive alias count")) {
      return Either.left(new AuditFileError({ file, path: "", message: `invalid YAML: aliases expand more than ${MAX_ALIAS_COUNT} times (an alias bomb); write the values out` }))
    }
    return Either.left(new AuditFileError({ file, path: "", message: `invalid YAML: ${described(message)}` }))
  }
}

const parseDocument = (text: string, lines: YAML.LineCounter): Either.Either<YAML.Document, string> => {
  try {
    return Either.right(YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true }))
  } catch (e) {
    return Either.left(described(reason(e)))
  }
}

export const parseYamlAudit = (file: string, text: string): Either.Either<AuditValue, AuditFileError> => {
  const lines = new YAML.LineCounter()
  const parsed = parseDocument(text, lines)
  if (Either.isLeft(parsed)) return Either.left(new AuditFileError({ file, path: "", message: `invalid YAML: ${parsed.left}` }))
  const document = parsed.right
  const problem = document.errors[0]
  if (problem !== undefined) {
    return Either.left(new AuditFileError({ file, line: lines.linePos(problem.pos[0]).line, path: "", message: `invalid YAML: ${described(problem.message)}` }))
  }
  return Either.map(documentValue(file, document, lines), (value) => ({ value, locate: yamlLocator(document, lines) }))
}

/** The 1-based line of a character offset. */
const lineAt = (text: string, offset: number): number => {
  let line = 1
  for (let at = text.indexOf("\n"); at >= 0 && at < offset; at = text.indexOf("\n", at + 1)) line++
  return line
}

/**
 * A JSON audit: JSON.parse decides what is valid JSON and gives the value; a YAML reading
 * of the same text (JSON is YAML) finds duplicate keys, which JSON.parse silently resolves
 * to the last, and the line of every path for messages. `ready` is checked on the value
 * first, so the YAML reading never sees a value nested too deeply for it.
 */
export const parseJsonAudit = (file: string, text: string, ready: (value: unknown) => AuditFileError | undefined): Either.Either<AuditValue, AuditFileError> => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    const message = reason(e)
    const position = /at position (\d+)/.exec(message)
    const line = position === null ? undefined : lineAt(text, Number(position[1]))
    return Either.left(new AuditFileError({ file, ...(line === undefined ? {} : { line }), path: "", message: `invalid JSON: ${message}` }))
  }
  const unready = ready(value)
  if (unready !== undefined) return Either.left(unready)
  const lines = new YAML.LineCounter()
  const document = parseDocument(text, lines)
  if (Either.isLeft(document)) return Either.right({ value })
  const duplicate = document.right.errors.find((e) => e.code === "DUPLICATE_KEY")
  if (duplicate !== undefined) {
    const key = /^"((?:[^"\\]|\\.)*)"/.exec(text.slice(duplicate.pos[0]))?.[1]
    return Either.left(
      new AuditFileError({ file, line: lines.linePos(duplicate.pos[0]).line, path: "", message: `invalid JSON: ${key === undefined ? "a key" : `key "${key}"`} appears twice in one object` })
    )
  }
  // Valid JSON the YAML reading trips over (it should not happen) only loses the line numbers.
  return Either.right(document.right.errors.length === 0 ? { value, locate: yamlLocator(document.right, lines) } : { value })
}
