import type { Summary } from "../domain/summary.js"
import type { Html } from "./html/escape.js"
import { renderHtml, renderInlinesHtml } from "./render-html.js"
import { verdictInlines } from "./sections/opening.js"
import { insertSection, memoDocument, memoSections, type MemoSection } from "./sections/index.js"

/**
 * The audit memo as one self-contained HTML file: inline CSS, inline SVG, no script, nothing
 * fetched, so it can be mailed or archived and opened offline under a strict CSP. Its sections
 * are those of the Markdown memo (./sections/), rendered by ./render-html.ts.
 */

export { MEMO_CSP } from "./render-html.js"
export { insertSection, memoSections, type MemoSection }

/** The verdict paragraph's markup (what a decision maker reads first). */
export const verdict = (s: Summary): Html => renderInlinesHtml(verdictInlines(s))

/** The audit memo as one self-contained HTML document (no script, nothing fetched). */
export const memoHtml = (summary: Summary, sections: ReadonlyArray<MemoSection> = memoSections): string =>
  renderHtml(memoDocument(summary, sections))
