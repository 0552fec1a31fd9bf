import { FileSystem, Path } from "@effect/platform"
import { Effect } from "effect"
import { unreadableFile } from "../evaluations/datasets/regular-file.js"
import { UsageError } from "./usage-error.js"

/**
 * Checks `--db` before anything is written: an existing store must be a regular file, and a
 * new one's folder must be creatable (no file, symlink loop or device on the way), so a bad
 * path is bad input (exit 2) instead of a failure after the audit was read.
 */
export const checkDbPath = (db: string): Effect.Effect<void, UsageError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    if (db === ":memory:") return
    const path = yield* Path.Path
    const fs = yield* FileSystem.FileSystem
    const problem = yield* unreadableFile(db)
    if (problem === undefined) return
    if (problem !== "no such file") return yield* new UsageError({ message: `--db ${db}: ${problem}` })
    // A new store: its nearest existing ancestor must be a directory.
    for (let dir = path.dirname(path.resolve(db)); ; dir = path.dirname(dir)) {
      const info = yield* fs.stat(dir).pipe(Effect.option)
      if (info._tag === "Some") {
        if (info.value.type === "Directory") return
        return yield* new UsageError({ message: `--db ${db}: ${dir} is not a directory` })
      }
      const ancestor = yield* unreadableFile(dir)
      if (ancestor !== "no such file") return yield* new UsageError({ message: `--db ${db}: ${dir}: ${ancestor ?? "cannot be read"}` })
      if (path.dirname(dir) === dir) return
    }
  })
