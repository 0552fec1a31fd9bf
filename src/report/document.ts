import type { OutcomeCounts } from "../domain/summary.js"
import type { Html } from "./html/escape.js"

/**
 * The memo as a small format-neutral document: every section builds one of these once, and
 * `render-markdown.ts` and `render-html.ts` turn it into Markdown and HTML. Text is always
 * plain text here (from the summary, files or models); each renderer escapes it for its format.
 * HTML-only visuals (interval bars, heatmap colours, charts) are attached to nodes whose text
 * already carries the numbers they show, so no figure exists in one memo only.
 */

/** Inline styles with a meaning in both formats; HTML gives them a class, Markdown bold or nothing. */
export type InlineStyle =
  | "badge-critical"
  | "badge-high"
  | "badge-medium"
  | "finding-head"
  | "finding-kind"
  | "finding-message"
  | "result-passed"
  | "result-failed"
  | "result-unchecked"
  | "note"

/** A run of text: plain text, or text with emphasis, code or a style. */
export type Inline =
  | string
  | { readonly _tag: "Strong"; readonly children: Inlines }
  | { readonly _tag: "Emphasis"; readonly children: Inlines }
  | { readonly _tag: "Code"; readonly text: string }
  | { readonly _tag: "Styled"; readonly style: InlineStyle; readonly children: Inlines }

export type Inlines = ReadonlyArray<Inline>

/** An HTML-only drawing of figures that the cell's text already states. */
export type CellVisual =
  | { readonly _tag: "Heat"; readonly outcomes: OutcomeCounts }
  | { readonly _tag: "IntervalBar"; readonly estimate: number | null; readonly lower: number; readonly upper: number; readonly tone: "sensitivity" | "specificity"; readonly label: string }

export interface Cell {
  readonly content: Inlines
  /** "number": right-aligned figures; "interval": an estimate with its interval, kept on one line. */
  readonly align?: "number" | "interval"
  /** Shaded in HTML (a large bias, an interval that excludes 0); the text says why in both formats. */
  readonly highlight?: boolean
  readonly visual?: CellVisual
}

export interface HeaderCell {
  readonly content: Inlines
  readonly align?: "number"
  /** An organism column: printed bottom to top in HTML, with `title` as a tooltip. */
  readonly organism?: { readonly title: string }
  /** Draw the 0 - 0.5 - 1 scale of interval bars under the header (HTML only). */
  readonly scale?: boolean
}

/** Tables whose HTML has its own layout; the text is the same. */
export type TableStyle = "heatmap" | "rates" | "grader" | "method"

export type Block =
  | { readonly _tag: "Heading"; readonly level: 3; readonly content: Inlines }
  | { readonly _tag: "Paragraph"; readonly content: Inlines; readonly style?: "note" | "meta" | "verdict" | "verdict-alarm" }
  | { readonly _tag: "List"; readonly ordered: boolean; readonly style?: "findings" | "facts"; readonly items: ReadonlyArray<ListItem> }
  | { readonly _tag: "Table"; readonly header: ReadonlyArray<HeaderCell>; readonly rows: ReadonlyArray<ReadonlyArray<Cell>>; readonly style?: TableStyle }
  /** Quoted text from outside (model output): one line, escaped, never interpreted. */
  | { readonly _tag: "Quote"; readonly text: string; readonly source: Inlines }
  /** Verbatim text in a monospace block: a command, a counterexample. */
  | { readonly _tag: "CodeBlock"; readonly text: string; readonly language?: "sh"; readonly style?: "counterexample" }
  /** A chart: inline SVG in HTML, an image link to the file written beside the Markdown memo. */
  | { readonly _tag: "Figure"; readonly svg: Html; readonly file: string; readonly alt: string }
  /** An HTML-only aid (the heatmap legend's swatches) whose words a neighbouring block already gives. */
  | { readonly _tag: "Visual"; readonly html: Html }

export interface ListItem {
  readonly content: Inlines
  /** Blocks under the item, such as a finding's quoted evidence. */
  readonly blocks?: ReadonlyArray<Block>
}

/** A titled part of the memo; `blocks` empty means the section has nothing to show for this audit. */
export interface Section {
  /** Anchor id: letters, digits and '-'; unique within the memo. */
  readonly id: string
  readonly title: string
  /** Starts a new page when printed. */
  readonly major: boolean
  readonly blocks: ReadonlyArray<Block>
}

/** The whole memo: title, the opening blocks (run line, verdict, facts), then the sections. */
export interface MemoDocument {
  readonly title: string
  readonly opening: ReadonlyArray<Block>
  readonly sections: ReadonlyArray<Section>
}

// ---------------------------------------------------------------------------------------
// Constructors, so sections read as prose

export const strong = (...children: Inlines): Inline => ({ _tag: "Strong", children })
export const em = (...children: Inlines): Inline => ({ _tag: "Emphasis", children })
export const code = (text: string): Inline => ({ _tag: "Code", text })
export const styled = (style: InlineStyle, ...children: Inlines): Inline => ({ _tag: "Styled", style, children })

export const paragraph = (...content: Inlines): Block => ({ _tag: "Paragraph", content })
export const note = (...content: Inlines): Block => ({ _tag: "Paragraph", content, style: "note" })
export const heading = (...content: Inlines): Block => ({ _tag: "Heading", level: 3, content })
export const bullets = (items: ReadonlyArray<Inlines>): Block => ({ _tag: "List", ordered: false, items: items.map((content) => ({ content })) })

/** A cell of plain text or inlines. */
export const cell = (content: string | Inlines, options: Omit<Cell, "content"> = {}): Cell => ({
  content: typeof content === "string" ? [content] : content,
  ...options
})

/** A header cell. */
export const th = (content: string | Inlines, options: Omit<HeaderCell, "content"> = {}): HeaderCell => ({
  content: typeof content === "string" ? [content] : content,
  ...options
})

export const table = (header: ReadonlyArray<HeaderCell | string>, rows: ReadonlyArray<ReadonlyArray<Cell | string>>, style?: TableStyle): Block => ({
  _tag: "Table",
  header: header.map((h) => (typeof h === "string" ? th(h) : h)),
  rows: rows.map((r) => r.map((c) => (typeof c === "string" ? cell(c) : c))),
  ...(style === undefined ? {} : { style })
})

/** Joins inlines with a separator: "a, b and c" when `last` is given. */
export const joined = (items: ReadonlyArray<Inline>, separator: string, last: string = separator): Inlines =>
  items.flatMap((item, i) => (i === 0 ? [item] : [i === items.length - 1 ? last : separator, item]))
