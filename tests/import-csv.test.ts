import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { createCsvParser, parseCsv, type CsvRecord } from "../src/evaluations/datasets/csv.js"

/** Feeds the text in the given pieces and collects every record. */
const parseChunks = (chunks: ReadonlyArray<string>): ReadonlyArray<CsvRecord> => {
  const parser = createCsvParser()
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()]
}

/** The text cut at the given offsets (any offset, so inside quotes and between "\r" and "\n" too). */
const cut = (text: string, offsets: ReadonlyArray<number>): ReadonlyArray<string> => {
  const points = [...new Set(offsets.map((o) => (text.length === 0 ? 0 : o % (text.length + 1))))].sort((a, b) => a - b)
  return [0, ...points].map((from, i) => text.slice(from, points[i] ?? text.length))
}

describe("csv parser", () => {
  it("reads a header and records, with the line each record starts on", () => {
    expect(parseCsv("a,b\n1,2\n3,4\n")).toEqual([
      { line: 2, fields: { a: "1", b: "2" } },
      { line: 3, fields: { a: "3", b: "4" } }
    ])
  })

  it("reads quoted fields with commas, doubled quotes and line breaks; a record spanning lines keeps its first line", () => {
    const text = 'q,a\r\n"Is it one, or two?","He said ""two""\r\nthen ""one"""\r\n"x\ny",z\r\nlast,row'
    expect(parseCsv(text)).toEqual([
      { line: 2, fields: { q: "Is it one, or two?", a: 'He said "two"\r\nthen "one"' } },
      { line: 4, fields: { q: "x\ny", a: "z" } },
      { line: 6, fields: { q: "last", a: "row" } }
    ])
  })

  it("drops a byte-order mark and skips blank lines, trailing ones included", () => {
    expect(parseCsv("\uFEFFa,b\n\n1,2\r\n\r\n\n")).toEqual([{ line: 3, fields: { a: "1", b: "2" } }])
    // A quoted empty field alone on a line is a value, not a blank line.
    expect(parseCsv('a\n""\n')).toEqual([{ line: 2, fields: { a: "" } }])
  })

  it("keeps a trailing empty field and a quote inside an unquoted field", () => {
    expect(parseCsv('a,b,c\n1,2 "inches",')).toEqual([{ line: 2, fields: { a: "1", b: '2 "inches"', c: "" } }])
  })

  it("keeps a column named __proto__ as a column", () => {
    const [record] = parseCsv("__proto__,b\n1,2\n")
    expect(record !== undefined && "fields" in record ? Object.keys(record.fields) : []).toEqual(["__proto__", "b"])
  })

  it("reports a wrong field count and goes on with the next record", () => {
    expect(parseCsv("a,b\n1,2,3\n4\n5,6\n")).toEqual([
      { line: 2, problem: "expected 2 fields (as in the header), found 3" },
      { line: 3, problem: "expected 2 fields (as in the header), found 1" },
      { line: 4, fields: { a: "5", b: "6" } }
    ])
  })

  it("reports an unterminated quote at the end of the input with the line it opened on", () => {
    expect(parseCsv('a,b\n1,2\n3,"open\nstill open\n')).toEqual([
      { line: 2, fields: { a: "1", b: "2" } },
      { line: 3, problem: "unterminated quote: the quoted field opened on line 3 runs to the end of the input" }
    ])
  })

  it("reports text after a closing quote", () => {
    const records = parseCsv('a,b\n"x"y,2\n3,4\n')
    expect(records[0]).toEqual({ line: 2, problem: expect.stringContaining("field 1: text after its closing quote") })
    expect(records[1]).toEqual({ line: 3, fields: { a: "3", b: "4" } })
  })

  it.each([
    ["a,a\n1,2\n", 'header: column name "a" appears more than once'],
    ["a,,c\n1,2,3\n", "header: column 2 has no name"],
    ["a, \n1,2\n", "header: column 2 has no name"]
  ])("reports a bad header (%j), and every record after it", (text, problem) => {
    expect(parseCsv(text)).toEqual([
      { line: 1, problem },
      { line: 2, problem: "no usable header (see line 1)" }
    ])
  })

  it("exposes the header once read", () => {
    const parser = createCsvParser()
    parser.push("x,y")
    expect(parser.columns()).toBeUndefined()
    parser.push("\n")
    expect(parser.columns()).toEqual(["x", "y"])
  })

  it.each([
    ["between \\r and \\n", ["a,b\r", "\n1,2\r", "\n3,4"]],
    ["inside a doubled quote", ['a,b\n"say ""', '""hi"""', ",2\n"]],
    ["inside a quoted line break", ['a,b\n"x\r', '\ny",2\n']],
    ["after the byte-order mark", ["", "\uFEFF", "a,b\n1,2"]]
  ])("gives the same records whatever the chunk boundary: %s", (_, chunks) => {
    expect(parseChunks(chunks)).toEqual(parseCsv(chunks.join("")))
  })

  it("reads a field of several megabytes split over many chunks, in one pass", () => {
    const long = `${"x,\"y\"\n".repeat(400_000)}`
    const text = `a,b\n1,"${long.replaceAll('"', '""')}"\n`
    const chunks = cut(text, Array.from({ length: 300 }, (_, i) => i * 9_973))
    const records = parseChunks(chunks)
    expect(records.length).toBe(1)
    const [record] = records
    expect(record !== undefined && "fields" in record && record.fields["b"] === long).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------
// Properties: serialising rows and parsing them back gives the rows (with the lines they
// start on), and cutting the text into any chunks changes nothing.

/** Characters that exercise every state of the parser. */
const fieldChar = fc.constantFrom("a", "B", " ", ",", '"', "\r", "\n", "é", "😀")
const fieldText = fc.string({ unit: fieldChar, maxLength: 10 })
const columnName = fc.string({ unit: fieldChar, minLength: 1, maxLength: 6 }).filter((name) => name.trim() !== "")
const lineEnd = fc.constantFrom("\n", "\r\n", "\r")

interface Table {
  readonly header: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<string>>
}

const table: fc.Arbitrary<Table> = fc
  .uniqueArray(columnName, { minLength: 1, maxLength: 5 })
  .chain((header) => fc.record({ header: fc.constant(header), rows: fc.array(fc.array(fieldText, { minLength: header.length, maxLength: header.length }), { maxLength: 6 }) }))

/** How to write the table: which fields to quote though they need not be, line ends, blank lines. */
const layout = fc.record({
  quoteAnyway: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
  ends: fc.array(lineEnd, { minLength: 8, maxLength: 8 }),
  blankBefore: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  finalEnd: fc.boolean(),
  trailingBlank: fc.nat({ max: 2 })
})
type Layout = typeof layout extends fc.Arbitrary<infer L> ? L : never

const needsQuotes = (field: string, alone: boolean): boolean => /[",\r\n]/.test(field) || (alone && field === "")

/** RFC 4180 text of the table, and the line each data row should be reported on. */
const serialise = ({ header, rows }: Table, how: Layout): { readonly text: string; readonly lines: ReadonlyArray<number> } => {
  let text = ""
  let n = 0
  const lines: Array<number> = []
  const lineOf = (prefix: string): number => prefix.split(/\r\n|\r|\n/).length
  const writeRow = (row: ReadonlyArray<string>, i: number): void => {
    const end = how.ends[i % how.ends.length] ?? "\n"
    text += row.map((field) => (needsQuotes(field, row.length === 1) || how.quoteAnyway[n++ % 64] === true ? `"${field.replaceAll('"', '""')}"` : field)).join(",")
    if (i < rows.length || how.finalEnd) text += end
  }
  writeRow(header, 0)
  rows.forEach((row, i) => {
    // A blank line needs a line end before it: skip it after a last row written without one.
    if (how.blankBefore[i % 8] === true) text += "\n"
    lines.push(lineOf(text))
    writeRow(row, i + 1)
  })
  if (how.finalEnd) text += "\n".repeat(how.trailingBlank)
  return { text, lines }
}

describe("csv parser properties", () => {
  it("parse(serialise(rows)) gives the rows back, each with the line it starts on", () => {
    fc.assert(
      fc.property(table, layout, (t, how) => {
        const { text, lines } = serialise(t, how)
        const expected = t.rows.map((row, i) => ({ line: lines[i], fields: Object.fromEntries(row.map((field, j) => [t.header[j], field])) }))
        expect(parseCsv(text)).toEqual(expected)
      }),
      { numRuns: 400, seed: 11 }
    )
  })

  it("cutting a valid file into any chunks gives the same records", () => {
    fc.assert(
      fc.property(table, layout, fc.array(fc.nat(), { maxLength: 12 }), (t, how, offsets) => {
        const { text } = serialise(t, how)
        expect(parseChunks(cut(text, offsets))).toEqual(parseCsv(text))
      }),
      { numRuns: 400, seed: 12 }
    )
  })

  it("cutting any text, malformed included, into chunks gives the same records and problems", () => {
    const anyText = fc.string({ unit: fc.constantFrom("a", ",", '"', "\r", "\n", "\uFEFF"), maxLength: 40 })
    fc.assert(
      fc.property(anyText, fc.array(fc.nat(), { maxLength: 12 }), (text, offsets) => {
        expect(parseChunks(cut(text, offsets))).toEqual(parseCsv(text))
      }),
      { numRuns: 1000, seed: 13 }
    )
  })

  it("character-by-character input gives the same records as one chunk", () => {
    fc.assert(
      fc.property(table, layout, (t, how) => {
        const { text } = serialise(t, how)
        expect(parseChunks([...text])).toEqual(parseCsv(text))
      }),
      { numRuns: 200, seed: 14 }
    )
  })
})
