import { type ValidationError } from "@effect/cli"
import { Error as PlatformError } from "@effect/platform"
import { docText } from "./help-doc.js"

/** What the platform's file-system methods were doing, as a reader would say it. */
const ACTIONS: Readonly<Record<string, string>> = {
  access: "open",
  copy: "copy",
  makeDirectory: "create the folder",
  makeTempDirectory: "create a temporary folder",
  open: "open",
  readDirectory: "list",
  readFile: "read",
  readFileString: "read",
  readLink: "read the link",
  remove: "remove",
  rename: "rename",
  stat: "read",
  writeFile: "write",
  writeFileString: "write"
}

/** "ENOENT: no such file or directory, open 'x'" -> "no such file or directory". */
const osReason = (description: string | undefined, fallback: string): string =>
  description === undefined ? fallback : (/^[A-Z]+: ([^,]+)/.exec(description)?.[1] ?? description)

const platformSentence = (e: PlatformError.PlatformError): string => {
  const action = Object.hasOwn(ACTIONS, e.method) ? ACTIONS[e.method] : e.method
  if (e._tag === "BadArgument") return `invalid argument to ${action}${e.description === undefined ? "" : `: ${e.description}`}`
  const target = e.pathOrDescriptor === undefined ? "" : ` ${String(e.pathOrDescriptor)}`
  return `cannot ${action}${target}: ${osReason(e.description, e.reason)}`
}

/** Error class names ("StoreError: ", "SystemError: NotFound: ") are for programmers, not for the message. */
const LEADING_TAGS = /^(?:[A-Z][a-z]+(?:[A-Z][a-z]*)+: )+/

/**
 * An expected failure as one plain sentence (its class's own text, a file error's
 * `file:line: path: message`), with no error class names in front.
 */
export const errorSentence = (error: unknown): string => {
  if (PlatformError.isPlatformError(error)) return platformSentence(error)
  const text = error instanceof Error ? (error.toString === Error.prototype.toString ? error.message : String(error)) : String(error)
  return text.replace(LEADING_TAGS, "")
}

/** The options a command's usage names (`[--db file]`, `[--quiet]`), and whether each takes a value. */
export const optionsOf = (usageWords: ReadonlyArray<string>): ReadonlyMap<string, boolean> =>
  new Map(usageWords.flatMap((w) => [...w.matchAll(/(--[a-z][a-z0-9-]*)( [^\s\]]+)?/g)].map((m): [string, boolean] => [m[1] ?? "", m[2] !== undefined])))

/**
 * A bad command line in a sentence, with where to look: @effect/cli's parse errors say
 * "Received unknown argument: 'x.yaml'" when the unknown thing is an earlier `--flag`, so an
 * unknown flag is named first.
 */
export const commandLineSentence = (
  error: ValidationError.ValidationError,
  args: ReadonlyArray<string>,
  program: string,
  command: { readonly name: string; readonly options: ReadonlyMap<string, boolean> } | undefined,
  commands: ReadonlyArray<string>
): string => {
  const hint = `(see ${program}${command === undefined ? "" : ` ${command.name}`} --help)`
  if (command === undefined) {
    const given = args[0]
    return given === undefined || given.startsWith("-")
      ? `expected a command: ${commands.join(", ")} ${hint}`
      : `unknown command '${given}'; the commands are ${commands.join(", ")} ${hint}`
  }
  const flag = (a: string) => a.split("=")[0] ?? a
  const unknown = args.slice(1).find((a) => a.startsWith("--") && !command.options.has(flag(a)))
  if (unknown !== undefined) return `${command.name}: unknown option ${flag(unknown)} ${hint}`
  const last = args[args.length - 1]
  if (last !== undefined && command.options.get(last) === true) return `${command.name}: ${last} needs a value ${hint}`
  const text = "error" in error ? docText(error.error) : "invalid command line"
  const sentence = text.charAt(0).toLowerCase() + text.slice(1)
  return `${command.name}: ${sentence} ${hint}`
}
