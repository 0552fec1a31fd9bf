import type { Block, Cell, CellVisual, HeaderCell, Inline, Inlines, InlineStyle, MemoDocument, Section } from "./document.js"
import { html, type Html } from "./html/escape.js"
import { heatSymbol, heatTdClass } from "./html/heatmap.js"
import { intervalBar, intervalScale } from "./html/interval-chart.js"
import { MEMO_CSS } from "./html/style.js"

/**
 * HTML for a memo document, built only with the escaping `html` tag (./html/escape.ts), so
 * every text run from the document is escaped by the one function that escapes the memo.
 */

/** The Content-Security-Policy the memo declares: it needs no script, no fetch, no font. */
export const MEMO_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

const STYLE_CLASS: Readonly<Record<InlineStyle, string>> = {
  "badge-critical": "badge badge-critical",
  "badge-high": "badge badge-high",
  "badge-medium": "badge badge-medium",
  "finding-head": "finding-head",
  "finding-kind": "finding-kind",
  "finding-message": "finding-message",
  "result-passed": "result-passed",
  "result-failed": "result-failed",
  "result-unchecked": "result-unchecked",
  note: "note"
}

const inline = (node: Inline): Html => {
  if (typeof node === "string") return html`${node}`
  switch (node._tag) {
    case "Strong":
      return html`<strong>${inlines(node.children)}</strong>`
    case "Emphasis":
      return html`<em>${inlines(node.children)}</em>`
    case "Code":
      return html`<code>${node.text}</code>`
    case "Styled":
      return html`<span class="${STYLE_CLASS[node.style]}">${inlines(node.children)}</span>`
  }
}

const inlines = (nodes: Inlines): Html => html`${nodes.map(inline)}`

/** Inline text as markup (every run escaped). */
export const renderInlinesHtml = inlines

const headerCell = (h: HeaderCell): Html => {
  const scale = h.scale === true ? intervalScale() : null
  if (h.organism !== undefined) return html`<th scope="col" class="org" title="${h.organism.title}"><span>${inlines(h.content)}</span></th>`
  return html`<th scope="col"${h.align === "number" ? html` class="num"` : null}>${inlines(h.content)}${scale}</th>`
}

const cellClass = (c: Cell): string =>
  [c.align === "number" ? "num" : c.align === "interval" ? "ci-text" : "", c.highlight === true ? "bias-large" : ""].filter((x) => x !== "").join(" ")

const visualCell = (c: Cell, visual: CellVisual): Html => {
  switch (visual._tag) {
    case "Heat":
      return html`<td class="${heatTdClass(visual.outcomes)}"><span class="sym" aria-hidden="true">${heatSymbol(visual.outcomes)}</span> ${inlines(c.content)}</td>`
    case "IntervalBar":
      return html`<td><span class="ci-text">${inlines(c.content)}</span>${intervalBar(visual, visual.label, visual.tone)}</td>`
  }
}

const dataCell = (c: Cell): Html => {
  if (c.visual !== undefined) return visualCell(c, c.visual)
  const cls = cellClass(c)
  return html`<td${cls === "" ? null : html` class="${cls}"`}>${inlines(c.content)}</td>`
}

/** A row: its first cell heads it (`<th scope="row">`), the rest are data. */
const row = (cells: ReadonlyArray<Cell>): Html => {
  const [first, ...rest] = cells
  return html`<tr>${first === undefined ? null : html`<th scope="row">${inlines(first.content)}</th>`}${rest.map(dataCell)}</tr>\n`
}

const PARAGRAPH_CLASS = { note: "note", meta: "meta", verdict: "verdict", "verdict-alarm": "verdict alarm" } as const

const block = (b: Block): Html => {
  switch (b._tag) {
    case "Heading":
      return html`<h3>${inlines(b.content)}</h3>\n`
    case "Paragraph":
      return html`<p${b.style === undefined ? null : html` class="${PARAGRAPH_CLASS[b.style]}"`}>${inlines(b.content)}</p>\n`
    case "List": {
      const cls = b.style === undefined ? null : html` class="${b.style}"`
      const items = b.items.map((item) => html`<li>${inlines(item.content)}${(item.blocks ?? []).map(block)}</li>\n`)
      return b.ordered ? html`<ol${cls}>\n${items}</ol>\n` : html`<ul${cls}>\n${items}</ul>\n`
    }
    case "Table":
      return html`<div class="scroll"><table${b.style === undefined ? null : html` class="${b.style}"`}>
<thead><tr>${b.header.map(headerCell)}</tr></thead>
<tbody>
${b.rows.map(row)}</tbody>
</table></div>\n`
    case "Quote":
      return html`<blockquote class="evidence"><p class="excerpt">${b.text}</p><p class="note">${inlines(b.source)}</p></blockquote>`
    case "CodeBlock":
      return b.style === "counterexample" ? html`<pre class="counterexample">${b.text}</pre>\n` : html`<pre><code>${b.text}</code></pre>\n`
    case "Figure":
      return html`<figure class="chart">${b.svg}</figure>\n`
    case "Visual":
      return html`${b.html}\n`
  }
}

/** A section's blocks as HTML (what goes under its heading). */
export const renderBlocksHtml = (blocks: ReadonlyArray<Block>): Html => html`${blocks.map(block)}`

const section = (s: Section): Html => html`<section id="${s.id}"${s.major ? html` class="major"` : null}>
<h2>${s.title}</h2>
${renderBlocksHtml(s.blocks)}</section>
`

/** The memo as one self-contained HTML document: inline CSS and SVG, no script, nothing fetched. */
export const renderHtml = (doc: MemoDocument): string => {
  const shown = doc.sections.filter((s) => s.blocks.length > 0)
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${MEMO_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.title}</title>
<style>${MEMO_CSS}</style>
</head>
<body>
<header>
<h1>${doc.title}</h1>
${renderBlocksHtml(doc.opening)}</header>
<nav class="contents" aria-label="Contents"><ol>${shown.map((s) => html`<li><a href="#${s.id}">${s.title}</a></li>`)}</ol></nav>
<main>
${shown.map(section)}</main>
</body>
</html>
`.markup
}
