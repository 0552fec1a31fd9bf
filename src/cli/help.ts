import { CliConfig, type HelpDoc, type Usage } from "@effect/cli"
import { blocksOf, usageWords, wrap } from "./help-doc.js"
import { visibleControls } from "./terminal.js"

/** What help needs of one subcommand, taken from its @effect/cli definition (main.ts). */
export interface CommandHelp {
  readonly name: string
  readonly help: HelpDoc.HelpDoc
  readonly usage: Usage.Usage
}

export interface ProgramHelp {
  readonly name: string
  readonly version: string
  readonly description: string
  readonly commands: ReadonlyArray<CommandHelp>
  /** Options every command takes, handled before @effect/cli parses: [term, description]. */
  readonly globalOptions: ReadonlyArray<readonly [string, string]>
}

export interface HelpStyle {
  readonly width: number
  readonly color: boolean
}

/** The config help is taken under: without @effect/cli's built-in options (main.ts handles or refuses those). */
export const helpConfig = CliConfig.make({ showBuiltIns: false })

/**
 * Colour only on a terminal, never with NO_COLOR (https://no-color.org: set and not empty),
 * always with FORCE_COLOR (unless it is "0" or "false", which turns colour off).
 */
export const useColor = (env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean => {
  const force = env["FORCE_COLOR"]
  if (force !== undefined) return force !== "0" && force !== "false"
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false
  return isTTY
}

/** The terminal's width, or 80 when it is not a terminal; never under 40 nor over 120 columns. */
export const helpWidth = (columns: number | undefined): number => Math.min(120, Math.max(40, columns ?? 80))

const heading = (text: string, style: HelpStyle) => (style.color ? `\u001b[1m${text}\u001b[22m` : text)

/** Two columns: each term, then its description wrapped beside it (below it when the term is too wide). */
const table = (rows: ReadonlyArray<readonly [string, string]>, style: HelpStyle): string => {
  const column = Math.min(30, Math.max(...rows.map(([term]) => term.length)) + 2)
  const textWidth = Math.max(20, style.width - 2 - column)
  return rows
    .flatMap(([term, description]) => {
      const lines = wrap(description, textWidth).map((l) => `${" ".repeat(2 + column)}${l}`)
      const first = lines[0]?.trimStart() ?? ""
      if (term.length + 2 <= column) return [`  ${term.padEnd(column)}${first}`.trimEnd(), ...lines.slice(1)]
      return [...wrap(term, style.width - 4).map((t, i) => (i === 0 ? `  ${t}` : `    ${t}`)), ...lines]
    })
    .join("\n")
}

/** `evalaudit run <audit> [--db file] ...`, wrapped, continuation lines aligned after the command. */
const usageLines = (program: string, usage: Usage.Usage, width: number): string => {
  const words = usageWords(usage)
  // Positional arguments read first, as the README writes them; options follow in definition order.
  const isArg = (w: string) => /^\[?</.test(w)
  const [command, ...rest] = words
  const ordered = [...rest.filter(isArg), ...rest.filter((w) => !isArg(w))]
  const lead = `  ${program} ${command ?? ""}`
  const indent = " ".repeat(lead.length + 1)
  const lines: Array<string> = [lead]
  for (const word of ordered.flatMap((w) => wrap(w, width - indent.length))) {
    const last = lines[lines.length - 1] ?? ""
    if (last.length + 1 + word.length <= width || last.trim() === "" || last === lead) lines[lines.length - 1] = `${last} ${word}`
    else lines.push(`${indent}${word}`)
  }
  return lines.join("\n")
}

/** @effect/cli's generic sentences: the usage line and the placeholders already say them. */
const GENERIC = /^(This setting is optional\.|This option may be repeated zero or more times\.)$/

interface Section {
  readonly name: string
  readonly paragraphs: Array<string>
  readonly entries: Array<readonly [string, string]>
}

const sectionsOf = (doc: HelpDoc.HelpDoc): ReadonlyArray<Section> => {
  const sections: Array<Section> = []
  for (const block of blocksOf(doc)) {
    if (block._tag === "Header") {
      sections.push({ name: block.text, paragraphs: [], entries: [] })
      continue
    }
    const current = sections[sections.length - 1]
    if (current === undefined) continue
    if (block._tag === "Paragraph") current.paragraphs.push(block.text)
    // An entry's first paragraph is @effect/cli's type sentence ("A file."): the term's placeholder says it.
    else current.entries.push([block.term.replace(/ \| /g, "|"), block.paragraphs.slice(1).filter((p) => !GENERIC.test(p)).join(" ")])
  }
  return sections
}

/** A titled section; only the fixed title is styled, the body's control characters are made visible. */
const block = (title: string, body: string, style: HelpStyle) => `${heading(title, style)}\n${visibleControls(body)}`

const paragraph = (text: string, style: HelpStyle) => visibleControls(wrap(text, style.width - 2).map((l) => `  ${l}`).join("\n"))

/** `evalaudit --help`: the commands, the global options, and where each command's help is. */
export const programHelp = (p: ProgramHelp, style: HelpStyle): string => {
  const commands = p.commands.map((c): readonly [string, string] => {
    const description = sectionsOf(c.help).find((s) => s.name === "DESCRIPTION")?.paragraphs.join(" ") ?? ""
    return [c.name, description]
  })
  return (
    [
      visibleControls(wrap(`${p.name} ${p.version}: ${p.description}`, style.width).join("\n")),
      block("Usage:", `  ${p.name} <command> [options]`, style),
      block("Commands:", table(commands, style), style),
      block("Options:", table(p.globalOptions, style), style),
      `Run \`${p.name} <command> --help\` for a command's arguments and options.`
    ].join("\n\n") + "\n"
  )
}

/** `evalaudit <command> --help`: usage, description, arguments and options with their defaults. */
export const commandHelp = (p: ProgramHelp, c: CommandHelp, style: HelpStyle): string => {
  const sections = sectionsOf(c.help)
  const description = sections.find((s) => s.name === "DESCRIPTION")?.paragraphs.join(" ") ?? ""
  const entries = (name: string) => sections.find((s) => s.name === name)?.entries ?? []
  const args = entries("ARGUMENTS")
  const options = [...entries("OPTIONS"), ["-h, --help", "show this help"] as const]
  return (
    [
      block("Usage:", usageLines(p.name, c.usage, style.width), style),
      paragraph(description, style),
      ...(args.length === 0 ? [] : [block("Arguments:", table(args, style), style)]),
      block("Options:", table(options, style), style)
    ].join("\n\n") + "\n"
  )
}
