import { escapeMarkdown } from "./render-markdown.js"

/** A cell already written in Markdown (emphasis the caller means), as opposed to text, which is escaped. */
export interface MarkdownCell {
  readonly markdown: string
}

/** Text (from a file, a model, a run) is escaped: no markup, link or heading gets through, and a pipe or line break cannot end the cell. */
const cell = (c: string | MarkdownCell): string => (typeof c === "string" ? escapeMarkdown(c) : c.markdown.replace(/[\r\n]+/g, " "))

/** A GitHub-flavoured Markdown table. */
export const markdownTable = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | MarkdownCell>>): string =>
  [
    `| ${header.map(cell).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)
  ].join("\n")
