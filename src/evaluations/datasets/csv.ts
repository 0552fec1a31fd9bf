/**
 * An incremental RFC 4180 CSV parser for streamed input. Text arrives in chunks split
 * anywhere (inside a quoted field, between "\r" and "\n", between the two quotes of an
 * escaped quote); the parser keeps its state between chunks and returns every record
 * completed so far. The first record is the header; each later record becomes a map from
 * column name to field, or a problem with the line it starts on.
 *
 * One pass, one character at a time, field text copied in slices: linear in the input,
 * with no regular expressions to backtrack on long fields.
 *
 * Lenient where the meaning is unambiguous: a quote inside an unquoted field is kept as
 * text, a UTF-8 byte-order mark is dropped, and "\r", "\n" and "\r\n" all end a line. A
 * record ends at "\r" or "\n" and blank lines are skipped, so the "\n" of "\r\n" is read
 * as an empty line and dropped. Text after a closing quote (`"ab"c`) is a problem: it
 * usually means a quote was not doubled, and the fields after it are shifted.
 */

/** A data record: its fields by column name, or what is wrong with it. */
export type CsvRecord =
  | { readonly line: number; readonly fields: Readonly<Record<string, string>> }
  | { readonly line: number; readonly problem: string }

export interface CsvParser {
  /** Parses the next chunk; returns the records it completed. */
  readonly push: (chunk: string) => ReadonlyArray<CsvRecord>
  /** Ends the input; returns the last record, if one was open. The parser is then spent. */
  readonly end: () => ReadonlyArray<CsvRecord>
  /** The header's column names, once its line has been read. */
  readonly columns: () => ReadonlyArray<string> | undefined
}

const QUOTE = 0x22
const COMMA = 0x2c
const CR = 0x0d
const LF = 0x0a
const BOM = 0xfeff

/** Where the parser is inside a record. */
type State =
  | "field-start" // nothing of the current field read yet
  | "unquoted"
  | "quoted"
  | "quote-in-quoted" // a quote inside a quoted field: a closing quote, or the first of a doubled pair

/** The problem with a header, if any: empty or repeated column names make rows ambiguous. */
const headerProblem = (names: ReadonlyArray<string>): string | undefined => {
  const seen = new Set<string>()
  for (const [i, name] of names.entries()) {
    if (name.trim() === "") return `header: column ${i + 1} has no name`
    if (seen.has(name)) return `header: column name "${name}" appears more than once`
    seen.add(name)
  }
  return undefined
}

export const createCsvParser = (): CsvParser => {
  let state: State = "field-start"
  let line = 1 // line of the next character
  let previousWasCR = false // a "\n" right after "\r" belongs to the same line break
  let atStreamStart = true
  let ended = false

  let field = ""
  let fields: Array<string> = []
  let recordLine: number | undefined // undefined between records
  let quoteLine = 0 // where the open quoted field started, for the unterminated-quote message
  let sawQuote = false // the record has a quoted field (so `""` alone is not a blank line)
  let recordProblem: string | undefined

  let header: ReadonlyArray<string> | undefined
  let headerLine = 0
  let badHeader = false

  const endField = (): void => {
    fields.push(field)
    field = ""
  }

  const endRecord = (out: Array<CsvRecord>): void => {
    const at = recordLine ?? line
    const values = fields
    const problem = recordProblem
    const blank = values.length === 1 && values[0] === "" && !sawQuote
    fields = []
    recordLine = undefined
    sawQuote = false
    recordProblem = undefined
    if (blank) return
    if (header === undefined) {
      header = values
      headerLine = at
      const wrong = problem === undefined ? headerProblem(values) : `header: ${problem}`
      if (wrong !== undefined) {
        badHeader = true
        out.push({ line: at, problem: wrong })
      }
      return
    }
    if (badHeader) out.push({ line: at, problem: `no usable header (see line ${headerLine})` })
    else if (problem !== undefined) out.push({ line: at, problem })
    else if (values.length !== header.length)
      out.push({ line: at, problem: `expected ${header.length} fields (as in the header), found ${values.length}` })
    else {
      const names = header
      // fromEntries defines own properties, so a column named "__proto__" stays a column.
      out.push({ line: at, fields: Object.fromEntries(values.map((value, i) => [names[i] ?? "", value])) })
    }
  }

  const push = (chunk: string): ReadonlyArray<CsvRecord> => {
    if (ended) throw new Error("createCsvParser: push after end")
    const out: Array<CsvRecord> = []
    let start = 0 // first character of the current field not yet copied into `field`
    let i = 0
    if (atStreamStart && chunk.length > 0) {
      atStreamStart = false
      if (chunk.charCodeAt(0) === BOM) i = 1
    }
    for (; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i)
      const lineOfChar = line
      if (c === CR || (c === LF && !previousWasCR)) line++
      previousWasCR = c === CR
      if (recordLine === undefined) recordLine = lineOfChar
      switch (state) {
        case "field-start":
          if (c === QUOTE) {
            state = "quoted"
            sawQuote = true
            quoteLine = lineOfChar
            start = i + 1
          } else if (c === COMMA) endField()
          else if (c === CR || c === LF) {
            endField()
            endRecord(out)
          } else {
            state = "unquoted"
            start = i
          }
          break
        case "unquoted":
          if (c === COMMA || c === CR || c === LF) {
            field += chunk.slice(start, i)
            endField()
            state = "field-start"
            if (c !== COMMA) endRecord(out)
          }
          break
        case "quoted":
          if (c === QUOTE) {
            field += chunk.slice(start, i)
            state = "quote-in-quoted"
          }
          break
        case "quote-in-quoted":
          if (c === QUOTE) {
            field += '"'
            state = "quoted"
            start = i + 1
          } else if (c === COMMA || c === CR || c === LF) {
            endField()
            state = "field-start"
            if (c !== COMMA) endRecord(out)
          } else {
            recordProblem ??= `field ${fields.length + 1}: text after its closing quote (a quote inside a quoted field must be doubled)`
            state = "unquoted"
            start = i
          }
          break
      }
    }
    if (state === "unquoted" || state === "quoted") field += chunk.slice(start)
    return out
  }

  const end = (): ReadonlyArray<CsvRecord> => {
    if (ended) return []
    ended = true
    const out: Array<CsvRecord> = []
    if (state === "quoted") {
      out.push({ line: recordLine ?? quoteLine, problem: `unterminated quote: the quoted field opened on line ${quoteLine} runs to the end of the input` })
      return out
    }
    if (recordLine !== undefined) {
      endField()
      endRecord(out)
    }
    return out
  }

  return { push, end, columns: () => header }
}

/** Parses a whole text at once. */
export const parseCsv = (text: string): ReadonlyArray<CsvRecord> => {
  const parser = createCsvParser()
  return [...parser.push(text), ...parser.end()]
}
