/**
 * Escaping for the HTML memo. Every string that comes from a summary (ids, titles, finding
 * messages, grader counterexamples holding model output) is escaped by `escapeHtml`, and
 * only by it: markup is built with the `html` tag, which escapes every interpolated string
 * and number, so a caller cannot forget to.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;"
}

/** Escapes `& < > " '`: safe in text and in quoted attribute values (the memo quotes every attribute). */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)

/** Markup that is already safe: built by `html`, or a constant written in this code base. */
export class Html {
  readonly _tag = "Html"
  private constructor(readonly markup: string) {}
  /** For constant markup written in this code base only; never for text from a summary. */
  static trust(markup: string): Html {
    return new Html(markup)
  }
  toString(): string {
    return this.markup
  }
}

/** What `html` accepts: text (escaped), numbers (escaped), markup, nothing, or lists of these. */
export type Interpolation = string | number | Html | null | undefined | false | ReadonlyArray<Interpolation>

const render = (value: Interpolation): string => {
  if (value instanceof Html) return value.markup
  if (typeof value === "string") return escapeHtml(value)
  if (typeof value === "number") return escapeHtml(String(value))
  if (value === null || value === undefined || value === false) return ""
  return value.map(render).join("")
}

/**
 * Template tag: the literal parts are markup, every interpolation is escaped unless it is `Html`.
 * Escaping makes text inert, not URLs safe: never interpolate summary text into `href`, `src`
 * or `style` (the memo links only to its own anchors).
 */
export const html = (literals: TemplateStringsArray, ...values: ReadonlyArray<Interpolation>): Html => {
  let out = literals[0] ?? ""
  values.forEach((value, i) => {
    out += render(value) + (literals[i + 1] ?? "")
  })
  return Html.trust(out)
}

/** Joins pieces (text escaped) with a separator, which is escaped too: plain text such as ", ". */
export const join = (items: ReadonlyArray<Interpolation>, separator: string): Html =>
  Html.trust(items.map(render).join(escapeHtml(separator)))
