import { Command, CommandDescriptor as Descriptor, ValidationError } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Error as PlatformError, FileSystem } from "@effect/platform"
import { Cause, Console, Effect, Exit, HashSet, Layer, Option } from "effect"
import { AuditFileError } from "../domain/audit-file-error.js"
import { RunError } from "../domain/run-error.js"
import { ShardError } from "../domain/shard.js"
import { StoreError } from "../domain/store-error.js"
import { VERSION } from "../version.js"
import { checkCommand } from "./check-command.js"
import { diffCommand } from "./diff-command.js"
import { drained } from "./drained.js"
import { reportInterrupted } from "./interrupted.js"
import { gradersCommand } from "./graders-command.js"
import { importCommand } from "./import-command.js"
import { initCommand } from "./init-command.js"
import { mergeCommand } from "./merge-command.js"
import { reportCommand } from "./report-command.js"
import { runCommand } from "./run-command.js"
import { runsCommand } from "./runs-command.js"
import { schemaCommand } from "./schema-command.js"
import { scoreCommand } from "./score-command.js"
import { searchCommand } from "./search-command.js"
import { serveCommand } from "./serve-command.js"
import { commandLineSentence, errorSentence, optionsOf } from "./error-message.js"
import { usageWords } from "./help-doc.js"
import { commandHelp, helpConfig, helpWidth, programHelp, useColor, type CommandHelp, type ProgramHelp } from "./help.js"
import { processSink, terminalConsole } from "./terminal-console.js"
import { forMessage } from "./terminal.js"
import { UsageError } from "./usage-error.js"

const PROGRAM = "evalaudit"
const DESCRIPTION = "audit AI-safety evaluations and policy triggers against model organisms"

/** Every write of a command goes through the terminal console: control characters from audit and model text are shown, never obeyed. */
const terminal = terminalConsole(processSink)
const onTerminal = <Name extends string, R, E, A>(command: Command.Command<Name, R, E, A>) =>
  Command.transformHandler(command, (effect) => Effect.withConsole(effect, terminal))

const subcommands = [
  onTerminal(runCommand),
  onTerminal(reportCommand),
  onTerminal(runsCommand),
  onTerminal(checkCommand),
  onTerminal(diffCommand),
  onTerminal(initCommand),
  onTerminal(gradersCommand),
  onTerminal(importCommand),
  onTerminal(schemaCommand),
  onTerminal(searchCommand),
  onTerminal(serveCommand),
  onTerminal(scoreCommand),
  onTerminal(mergeCommand)
] as const

const evalaudit = Command.make(PROGRAM).pipe(Command.withDescription(DESCRIPTION), Command.withSubcommands(subcommands))

const cli = Command.run(evalaudit, { name: PROGRAM, version: VERSION })

const helpOf = (command: Descriptor.Command<unknown>): CommandHelp => ({
  name: HashSet.values(Descriptor.getNames(command)).next().value ?? "",
  help: Descriptor.getHelp(command, helpConfig),
  usage: Descriptor.getUsage(command)
})

const program: ProgramHelp = {
  name: PROGRAM,
  version: VERSION,
  description: DESCRIPTION,
  commands: subcommands.map((c) => helpOf(c.descriptor)),
  globalOptions: [
    ["-h, --help", "show this help (after a command: that command's arguments and options)"],
    ["--version", "print the version"],
    ["--completions sh|bash|fish|zsh", "print a shell completion script"]
  ]
}

/**
 * Help, the version and @effect/cli's interactive built-ins are answered here, before the
 * command line is parsed: help is rendered from the command definitions (help.ts), and
 * `--wizard` (prompts for every option) and `--log-level` (evalaudit logs nothing) are refused.
 */
const BUILT_INS_REFUSED = ["--wizard", "--log-level"]

const args = process.argv.slice(2)
const beforeEnd = args.indexOf("--") === -1 ? args : args.slice(0, args.indexOf("--"))
const commandOf = (name: string | undefined) => program.commands.find((c) => c.name === name)

const early = (): Effect.Effect<void, UsageError> | undefined => {
  const refused = beforeEnd.find((a) => BUILT_INS_REFUSED.includes(a.split("=")[0] ?? a))
  if (refused !== undefined) {
    return new UsageError({ message: `${refused.split("=")[0]} is not supported: every value is given on the command line (see ${PROGRAM} --help)` })
  }
  const style = { width: helpWidth(process.stdout.isTTY === true ? process.stdout.columns : undefined), color: useColor(process.env, process.stdout.isTTY === true) }
  if (args.length === 0 || beforeEnd.includes("--help") || beforeEnd.includes("-h")) {
    const command = commandOf(args[0])
    return Effect.sync(() => processSink.out(command === undefined ? programHelp(program, style) : commandHelp(program, command, style)))
  }
  if (beforeEnd.includes("--version")) return Console.log(VERSION)
  return undefined
}

const storeRefusals: ReadonlySet<StoreError["reason"]> = new Set(["NotFound", "Foreign", "Newer", "Damaged", "Busy"])

/** The first stop signal received: an interrupted command exits 128 + its number, as a shell reports it. */
let stopSignal: "SIGINT" | "SIGTERM" | undefined
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  // Once: a second Ctrl-C finds no handler left and ends the process at once (the store survives a kill).
  process.once(signal, () => {
    stopSignal ??= signal
  })
}

/**
 * Exit codes: 0 success, 1 failure while running or a failed verdict (`check` gate rules,
 * `graders` faults), 2 bad input (nothing was written), 130 or 143 stopped by SIGINT or SIGTERM.
 */
const isBadInput = (error: unknown): boolean =>
  ValidationError.isValidationError(error) ||
  error instanceof AuditFileError ||
  error instanceof UsageError ||
  error instanceof RunError ||
  error instanceof ShardError ||
  // The --db given cannot be used as asked (missing, not a store, newer, damaged, or busy
  // with another process): refused before anything was written.
  (error instanceof StoreError && storeRefusals.has(error.reason))

const exitCode = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit)) return 0
  if (Cause.isInterruptedOnly(exit.cause)) return stopSignal === "SIGTERM" ? 143 : 130
  // Everything else that failed is 1: a failed gate (GateFailed) or grader battery, or a run that broke.
  return Option.match(Cause.failureOption(exit.cause), { onNone: () => 1, onSome: (e) => (isBadInput(e) ? 2 : 1) })
}

const commandLine = (error: ValidationError.ValidationError): string => {
  const command = commandOf(args[0])
  const options = command === undefined ? undefined : { name: command.name, options: optionsOf(usageWords(command.usage)) }
  return commandLineSentence(error, args, PROGRAM, options, program.commands.map((c) => c.name))
}

/** Every message is `evalaudit: <sentence>`, its control characters visible and its long values cut. */
const say = (sentence: string) => Console.error(`${PROGRAM}: ${forMessage(sentence)}`)

/** Expected failures print their message; anything else (a defect) prints in full, never silently. */
const report = (cause: Cause.Cause<unknown>) => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    // @effect/cli's own text for a bad command line was not printed (see `quietLibrary`): it is said here.
    if (ValidationError.isValidationError(failure.value)) return say(commandLine(failure.value))
    return say(errorSentence(failure.value))
  }
  // An interruption is reported by `reportInterrupted` (a failure handler never sees one).
  if (Cause.isInterruptedOnly(cause)) return Effect.void
  // A file-system failure that escaped as a defect (a path checked while parsing) is still a sentence, not a stack.
  const defect = Option.getOrUndefined(Cause.dieOption(cause))
  if (PlatformError.isPlatformError(defect)) return say(errorSentence(defect))
  return say(`internal error\n${Cause.pretty(cause)}`)
}

/** @effect/cli prints its parse errors as styled text; `report` says them in evalaudit's form instead. */
const quietLibrary = terminalConsole({ out: processSink.out, err: () => undefined })

// A reader that stops early (`evalaudit schema | head -2`) closes the pipe: exit quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0)
    throw error
  })
}

/**
 * @effect/cli checks path arguments with `exists` and dies on any error but "not found" (a
 * symlink loop, a path through a regular file): such a path counts as absent there, and the
 * command's own check reports it as bad input.
 */
const pathsAsArguments = Layer.effect(
  FileSystem.FileSystem,
  Effect.map(FileSystem.FileSystem, (fs) => ({ ...fs, exists: (path: string) => fs.exists(path).pipe(Effect.orElseSucceed(() => false)) }))
)

const answered = early()
const parsed = answered === undefined ? cli(process.argv).pipe(Effect.withConsole(quietLibrary)) : Effect.withConsole(answered, terminal)
const main = parsed.pipe(
  Effect.tapErrorCause((cause) => Effect.withConsole(report(cause), terminal)),
  Effect.onInterrupt(() => reportInterrupted),
  Effect.provide(pathsAsArguments),
  Effect.provide(NodeContext.layer)
)

NodeRuntime.runMain(main, {
  disableErrorReporting: true,
  teardown: (exit, onExit) => void Promise.all([drained(process.stdout), drained(process.stderr)]).then(() => onExit(exitCode(exit)))
})
