import { Command, ValidationError } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Cause, Console, Effect, Exit, Option } from "effect"
import { VERSION } from "../version.js"
import { reportCommand } from "./report-command.js"
import { runCommand } from "./run-command.js"
import { runsCommand } from "./runs-command.js"

const evalaudit = Command.make("evalaudit").pipe(
  Command.withDescription("audit AI-safety evaluations and policy triggers against model organisms"),
  Command.withSubcommands([runCommand, reportCommand, runsCommand])
)

const cli = Command.run(evalaudit, { name: "evalaudit", version: VERSION })

/** Exit codes: 0 success, 1 failure while running, 2 bad input (nothing was written). */
const exitCode = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit)) return 0
  const failure = Cause.failureOption(exit.cause)
  if (Option.isNone(failure)) return Cause.isInterruptedOnly(exit.cause) ? 130 : 1
  const error = failure.value
  if (ValidationError.isValidationError(error)) return 2
  if (typeof error === "object" && error !== null && "_tag" in error) {
    if (error._tag === "AuditFileError" || error._tag === "UsageError") return 2
    if (error._tag === "RunError") return 2
  }
  return 1
}

const program = cli(process.argv).pipe(
  Effect.tapError((error) =>
    ValidationError.isValidationError(error)
      ? Effect.void // @effect/cli has already printed its own message
      : Console.error(`evalaudit: ${String(error)}`)
  ),
  Effect.provide(NodeContext.layer)
)

NodeRuntime.runMain(program, {
  disableErrorReporting: true,
  teardown: (exit, onExit) => onExit(exitCode(exit))
})
