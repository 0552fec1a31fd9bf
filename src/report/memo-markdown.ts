import type { Summary } from "../domain/summary.js"
import { renderMarkdown } from "./render-markdown.js"
import { memoDocument, memoSections, type MemoSection } from "./sections/index.js"

/**
 * The audit memo in Markdown: the sections of ./sections/ rendered by ./render-markdown.ts,
 * so it says what the HTML memo says, figure for figure. Text from the summary is escaped for
 * Markdown; charts are linked as the SVG files written beside the memo.
 */
export const memoMarkdown = (summary: Summary, sections: ReadonlyArray<MemoSection> = memoSections): string =>
  renderMarkdown(memoDocument(summary, sections))
