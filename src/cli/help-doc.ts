import type { HelpDoc, Span, Usage } from "@effect/cli"
import { Option } from "effect"

/**
 * @effect/cli describes every command as data (a HelpDoc of sections and description lists,
 * a Usage tree); evalaudit renders that data itself, so help and error messages come from
 * the command definitions alone and look like the rest of its output.
 */

export const spanText = (span: Span.Span): string => {
  switch (span._tag) {
    case "Text":
    case "URI":
      return span.value
    case "Sequence":
      return spanText(span.left) + spanText(span.right)
    case "Highlight":
    case "Strong":
    case "Weak":
      return spanText(span.value)
  }
}

export type Block =
  | { readonly _tag: "Header"; readonly text: string }
  | { readonly _tag: "Paragraph"; readonly text: string }
  | { readonly _tag: "Entry"; readonly term: string; readonly paragraphs: ReadonlyArray<string> }

/** A HelpDoc flattened: headers, paragraphs and description-list entries, in order. */
export const blocksOf = (doc: HelpDoc.HelpDoc): ReadonlyArray<Block> => {
  switch (doc._tag) {
    case "Empty":
      return []
    case "Header":
      return [{ _tag: "Header", text: spanText(doc.value) }]
    case "Paragraph":
      return [{ _tag: "Paragraph", text: spanText(doc.value) }]
    case "DescriptionList":
      return doc.definitions.map(([term, body]) => ({ _tag: "Entry", term: spanText(term), paragraphs: paragraphsOf(body) }))
    case "Enumeration":
      return doc.elements.flatMap(blocksOf)
    case "Sequence":
      return [...blocksOf(doc.left), ...blocksOf(doc.right)]
  }
}

const paragraphsOf = (doc: HelpDoc.HelpDoc): ReadonlyArray<string> =>
  blocksOf(doc).flatMap((b) => (b._tag === "Entry" ? [b.term, ...b.paragraphs] : [b.text]))

/** A HelpDoc (an @effect/cli error) as one line of plain text. */
export const docText = (doc: HelpDoc.HelpDoc): string =>
  paragraphsOf(doc)
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .join(" ")

/** The usage tree as words a line may break between: `<audit>`, `[--db file]`, `[--min-sensitivity text]...`. */
export const usageWords = (usage: Usage.Usage): ReadonlyArray<string> => {
  switch (usage._tag) {
    case "Empty":
      return []
    case "Mixed":
      return ["<command>"]
    case "Named": {
      const value = Option.match(usage.acceptedValues, { onNone: () => "", onSome: (v) => ` ${v.replace(/ \| /g, "|")}` })
      return [`${usage.names.join(", ")}${value}`]
    }
    case "Optional":
      return [`[${usageWords(usage.usage).join(" ")}]`]
    // Options.repeated takes zero or more: optional, and repeatable.
    case "Repeated":
      return [`[${usageWords(usage.usage).join(" ")}]...`]
    case "Alternation":
      return [`${usageWords(usage.left).join(" ")} | ${usageWords(usage.right).join(" ")}`]
    case "Concat":
      return [...usageWords(usage.left), ...usageWords(usage.right)]
  }
}

/** A word too long for a line, broken after its `|` (a long list of choices); other words stay whole. */
const pieces = (word: string, width: number): ReadonlyArray<string> => {
  if (word.length <= width) return [word]
  const parts: Array<string> = []
  let current = ""
  for (const part of word.split(/(?<=\|)/)) {
    if (current !== "" && current.length + part.length > width) {
      parts.push(current)
      current = ""
    }
    current += part
  }
  return [...parts, current]
}

/** Greedy word wrap; a word longer than the width is broken after a `|`, or else gets a line of its own. */
export const wrap = (text: string, width: number): ReadonlyArray<string> => {
  const lines: Array<string> = []
  let current = ""
  for (const word of text.split(/\s+/).flatMap((w) => (w === "" ? [] : pieces(w, width)))) {
    if (current === "") current = word
    else if (current.length + 1 + word.length <= width) current += ` ${word}`
    else {
      lines.push(current)
      current = word
    }
  }
  if (current !== "" || lines.length === 0) lines.push(current)
  return lines
}
