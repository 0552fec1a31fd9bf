import { Command, ValidationError } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { FileSystem } from "@effect/platform"
import { Cause, Console, Effect, Exit, Layer, Option } from "effect"
import { AuditFileError } from "../domain/audit-file-error.js"
import { RunError } from "../domain/run-error.js"
import { StoreError } from "../domain/store-error.js"
import { VERSION } from "../version.js"
import { checkCommand } from "./check-command.js"
import { diffCommand } from "./diff-command.js"
import { GateFailed } from "./gate-failed.js"
import { gradersCommand } from "./graders-command.js"
import { importCommand } from "./import-command.js"
import { initCommand } from "./init-command.js"
import { reportCommand } from "./report-command.js"
import { runCommand } from "./run-command.js"
import { runsCommand } from "./runs-command.js"
import { schemaCommand } from "./schema-command.js"
import { searchCommand } from "./search-command.js"
import { forTerminal } from "./terminal.js"
import { UsageError } from "./usage-error.js"

const evalaudit = Command.make("evalaudit").pipe(
  Command.withDescription("audit AI-safety evaluations and policy triggers against model organisms"),
  Command.withSubcommands([runCommand, reportCommand, runsCommand, checkCommand, diffCommand, initCommand, gradersCommand, importCommand, schemaCommand, searchCommand])
)

const cli = Command.run(evalaudit, { name: "evalaudit", version: VERSION })

/**
 * Exit codes: 0 success, 1 failure while running or a failed verdict (`check` gate rules,
 * `graders` faults), 2 bad input (nothing was written).
 */
const isBadInput = (error: unknown): boolean =>
  ValidationError.isValidationError(error) ||
  error instanceof AuditFileError ||
  error instanceof UsageError ||
  error instanceof RunError ||
  (error instanceof StoreError && error.reason === "NotFound")

const exitCode = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit)) return 0
  if (Cause.isInterruptedOnly(exit.cause)) return 130
  // Everything else that failed is 1: a failed gate (GateFailed) or grader battery, or a run that broke.
  return Option.match(Cause.failureOption(exit.cause), { onNone: () => 1, onSome: (e) => (isBadInput(e) ? 2 : 1) })
}

/** An expected failure as its class prints it (a file error adds file and line), without the leading tag ("StoreError: "). */
const messageOf = (error: unknown): string => {
  const text = String(error)
  const tag = typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string" ? error._tag : undefined
  return tag !== undefined && text.startsWith(`${tag}: `) ? text.slice(tag.length + 2) : text
}

/** Expected failures print their message; anything else (a defect) prints in full, never silently. */
const report = (cause: Cause.Cause<unknown>) => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    // @effect/cli has already printed its own message for a bad command line.
    if (ValidationError.isValidationError(failure.value)) return Effect.void
    // A failed gate is a verdict, already printed rule by rule: one line, no error dump.
    if (failure.value instanceof GateFailed) return Console.error(`evalaudit: ${forTerminal(failure.value.message)}`)
    return Console.error(`evalaudit: ${forTerminal(messageOf(failure.value))}`)
  }
  return Cause.isInterruptedOnly(cause) ? Console.error("evalaudit: interrupted") : Console.error(`evalaudit: internal error\n${Cause.pretty(cause)}`)
}

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

const program = cli(process.argv).pipe(Effect.tapErrorCause(report), Effect.provide(pathsAsArguments), Effect.provide(NodeContext.layer))

NodeRuntime.runMain(program, {
  disableErrorReporting: true,
  teardown: (exit, onExit) => onExit(exitCode(exit))
})
