import { Console, Effect } from "effect"
import { inspect } from "node:util"
import { visibleControls } from "./terminal.js"

/** Where the CLI's text goes: the process's stdout and stderr, or a test's buffers. */
export interface TerminalSink {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
}

export const processSink: TerminalSink = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text)
}

const line = (args: ReadonlyArray<unknown>): string =>
  `${visibleControls(args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" "))}\n`

/**
 * The one path from the CLI to a terminal: an effect `Console` whose every write shows the
 * control characters of its text as visible escapes. main.ts installs it for every command,
 * so no `Console.log` of audit or model text can be forgotten; styled text (help headings)
 * adds its own escape codes after this, through `TerminalSink` directly.
 */
export const terminalConsole = (sink: TerminalSink): Console.Console => {
  const out = (...args: ReadonlyArray<unknown>) => Effect.sync(() => sink.out(line(args)))
  const err = (...args: ReadonlyArray<unknown>) => Effect.sync(() => sink.err(line(args)))
  const unsafeOut = (...args: ReadonlyArray<unknown>) => void sink.out(line(args))
  const unsafeErr = (...args: ReadonlyArray<unknown>) => void sink.err(line(args))
  const none = () => Effect.void
  return {
    [Console.TypeId]: Console.TypeId,
    assert: (condition, ...args) => (condition ? Effect.void : err("Assertion failed:", ...args)),
    clear: Effect.void,
    count: none,
    countReset: none,
    debug: err,
    dir: (item) => out(item),
    dirxml: out,
    error: err,
    group: none,
    groupEnd: Effect.void,
    info: out,
    log: out,
    table: (data) => out(data),
    time: none,
    timeEnd: none,
    timeLog: none,
    trace: err,
    warn: err,
    // Node's console shape, for code that writes through `Console.consoleWith(c => c.unsafe...)`.
    unsafe: {
      ...globalThis.console,
      log: unsafeOut,
      info: unsafeOut,
      debug: unsafeErr,
      error: unsafeErr,
      warn: unsafeErr,
      trace: unsafeErr
    }
  }
}
