import { Options } from "@effect/cli"

/** Options shared by the commands that touch the store or write reports. */
export const db = Options.file("db").pipe(
  Options.withDefault("out/evalaudit.db"),
  Options.withDescription("SQLite file holding runs and results")
)

export const out = Options.directory("out").pipe(
  Options.withDefault("out"),
  Options.withDescription("directory for memos and JSON summaries (one folder per run)")
)

export const json = Options.file("json").pipe(
  Options.optional,
  Options.withDescription("also write the JSON summary to this file")
)

export const quiet = Options.boolean("quiet").pipe(Options.withDescription("no progress on stderr"))
