import { FileSystem, Path } from "@effect/platform"
import { Effect } from "effect"

/**
 * Writes `content` to `file` all or nothing: into a temporary file beside it, flushed to disk,
 * then renamed over it. A full disk or a kill part-way leaves the old file (or none), never a
 * truncated one; the temporary file is removed on failure.
 */
export const writeFileAtomic = (file: string, content: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
    yield* Effect.scoped(
      Effect.gen(function* () {
        const handle = yield* fs.open(temp, { flag: "w" })
        yield* handle.writeAll(new TextEncoder().encode(content))
        yield* handle.sync
      })
    ).pipe(
      Effect.zipRight(fs.rename(temp, file)),
      Effect.onError(() => Effect.ignore(fs.remove(temp)))
    )
  })
