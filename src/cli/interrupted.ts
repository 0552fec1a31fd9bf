import { Console, Effect, FiberRef } from "effect"
import { forTerminal } from "./terminal.js"

/** What an interrupted command adds to "evalaudit: interrupted" (how to resume the run it stopped), set as it stops. */
export const interruptNote = FiberRef.unsafeMake<string | undefined>(undefined)

/** Says, once, that the command was interrupted and what it left to do. */
export const reportInterrupted = Effect.flatMap(FiberRef.get(interruptNote), (note) =>
  Console.error(forTerminal(`evalaudit: interrupted${note === undefined ? "" : `; ${note}`}`))
)
