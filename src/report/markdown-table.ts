/** A Markdown table cell: pipes escaped and line breaks flattened, so any text keeps the table intact. */
const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ")

/** A GitHub-flavoured Markdown table. */
export const markdownTable = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  [
    `| ${header.map(cell).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)
  ].join("\n")
