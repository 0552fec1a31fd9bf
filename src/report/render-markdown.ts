import type { Block, Cell, Inline, Inlines, MemoDocument, Section } from "./document.js"

/**
 * Markdown for a memo document. Every text run is escaped by `escapeMarkdown`, and only by it,
 * so text from an audit file or a model (`<script>`, `[x](javascript:...)`, a leading `#`, a
 * pipe in a table) stays text in any Markdown renderer.
 */

/**
 * Escapes text for Markdown: backslash, backticks, emphasis, `<` and `>` (no raw HTML, no
 * autolink), `#`, `|` (a table cell), `&` (no entity), `~`; a `]` only where it would close a
 * link, image, reference or footnote (followed by `(`, `[` or `:`), so intervals stay "[0.31, 0.83]";
 * line breaks become spaces (a run of text is one line).
 */
export const escapeMarkdown = (text: string): string =>
  text
    .replace(/[\\`*_<>#|&~]/g, (c) => `\\${c}`)
    .replace(/\[(?=[^\]]*\](?:[([:]))/g, "\\[")
    .replace(/\](?=[([:])/g, "\\]")
    .replace(/[\r\n]+/g, " ")

/** At the start of a block, text that would begin a list, a heading underline or a numbered item. */
const escapeLineStart = (markdown: string): string => markdown.replace(/^([-+=])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2")

/** A code span that holds any text: a fence longer than any backtick run inside, padded when needed. */
const codeSpan = (text: string, inTable: boolean): string => {
  const flat = text.replace(/[\r\n]+/g, " ")
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length))
  const fence = "`".repeat(longest + 1)
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat.startsWith(" ") ? " " : ""
  // In a GFM table a pipe ends the cell even inside a code span; there `\|` is the escape.
  const body = inTable ? flat.replace(/\|/g, "\\|") : flat
  return `${fence}${pad}${body}${pad}${fence}`
}

/** Styles that carry an alarm or a verdict read in bold; the rest are layout only. */
const BOLD_STYLES = new Set(["badge-critical", "badge-high", "badge-medium", "result-failed", "result-unchecked"])

const inline = (node: Inline, inTable: boolean): string => {
  if (typeof node === "string") return escapeMarkdown(node)
  switch (node._tag) {
    case "Strong":
      return `**${inlines(node.children, inTable)}**`
    case "Emphasis":
      return `*${inlines(node.children, inTable)}*`
    case "Code":
      return codeSpan(node.text, inTable)
    case "Styled":
      return BOLD_STYLES.has(node.style) ? `**${inlines(node.children, inTable)}**` : inlines(node.children, inTable)
  }
}

const inlines = (nodes: Inlines, inTable = false): string => nodes.map((n) => inline(n, inTable)).join("")

const tableCell = (c: Pick<Cell, "content">): string => inlines(c.content, true)

/** Link targets are file names from audit ids: every character but a safe few is percent-encoded. */
const linkTarget = (file: string): string =>
  Array.from(new TextEncoder().encode(file))
    .map((b) => (/[A-Za-z0-9._-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`))
    .join("")

const codeBlock = (text: string, language: string): string => {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = "`".repeat(Math.max(3, longest + 1))
  return `${fence}${language}\n${text}\n${fence}`
}

const indent = (text: string, by: number): string =>
  text
    .split("\n")
    .map((line) => (line === "" ? line : `${" ".repeat(by)}${line}`))
    .join("\n")

const block = (b: Block): string => {
  switch (b._tag) {
    case "Heading":
      return `### ${inlines(b.content)}`
    case "Paragraph":
      return escapeLineStart(inlines(b.content))
    case "List":
      return b.items
        .map((item, i) => {
          const marker = b.ordered ? `${i + 1}. ` : "- "
          const head = `${marker}${escapeLineStart(inlines(item.content))}`
          const under = (item.blocks ?? []).map((x) => `\n\n${indent(block(x), marker.length)}`).join("")
          return `${head}${under}`
        })
        .join("\n")
    case "Table":
      return [
        `| ${b.header.map(tableCell).join(" | ")} |`,
        `| ${b.header.map(() => "---").join(" | ")} |`,
        ...b.rows.map((r) => `| ${r.map(tableCell).join(" | ")} |`)
      ].join("\n")
    case "Quote":
      return `> ${escapeLineStart(escapeMarkdown(b.text))}\n>\n> ${inlines(b.source)}`
    case "CodeBlock":
      return codeBlock(b.text, b.language ?? "")
    case "Figure":
      return `![${escapeMarkdown(b.alt)}](${linkTarget(b.file)})`
    case "Visual":
      return ""
  }
}

/** A section's blocks as Markdown, blank lines between blocks; HTML-only visuals are left out. */
export const renderBlocksMarkdown = (blocks: ReadonlyArray<Block>): string =>
  blocks
    .map(block)
    .filter((text) => text !== "")
    .join("\n\n")

/** One section: "## title" and its blocks; "" when it has nothing to show. */
export const renderSectionMarkdown = (section: Section): string =>
  section.blocks.length === 0 ? "" : `## ${escapeMarkdown(section.title)}\n\n${renderBlocksMarkdown(section.blocks)}\n`

/** The memo as one Markdown file. */
export const renderMarkdown = (doc: MemoDocument): string =>
  [`# ${escapeMarkdown(doc.title)}\n`, `${renderBlocksMarkdown(doc.opening)}\n`, ...doc.sections.map(renderSectionMarkdown).filter((s) => s !== "")].join("\n")
