import { FileSystem, Path } from "@effect/platform"
import { Effect } from "effect"
import { UsageError } from "./usage-error.js"

/**
 * Fails unless directory `dir` (given with `flag`) exists and is writable, or can be created:
 * its nearest existing ancestor must be a writable directory. Writes nothing, so a run with
 * an unusable output folder stops before it opens the store or measures a cell.
 */
export const checkWritable = (dir: string, flag: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const refuse = (why: string) => new UsageError({ message: `${flag} ${dir}: cannot write there (${why})` })
    let at = path.resolve(dir)
    for (;;) {
      const info = yield* fs.stat(at).pipe(Effect.option)
      if (info._tag === "Some") {
        if (info.value.type !== "Directory") return yield* refuse(`${at} is not a directory`)
        return yield* fs.access(at, { writable: true }).pipe(Effect.mapError(() => refuse(`${at} is not writable`)))
      }
      const parent = path.dirname(at)
      if (parent === at) return yield* refuse("no existing folder above it")
      at = parent
    }
  })
