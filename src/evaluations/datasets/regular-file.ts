import { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Effect } from "effect"

/** What went wrong opening a path, in words (no syscall names, no repeated path). */
export const describeFileError = (error: PlatformError): string => {
  if (error._tag === "SystemError") {
    if (error.reason === "NotFound") return "no such file"
    if (error.reason === "PermissionDenied") return "permission denied"
  }
  const text = error.message
  if (text.includes("ELOOP")) return "too many levels of symbolic links (a symlink loop)"
  if (text.includes("ENOTDIR")) return "a part of the path is a file, not a directory"
  return error._tag === "SystemError" ? (error.description ?? error.reason) : error.message
}

const KINDS: ReadonlyArray<[FileSystem.File.Type, string]> = [
  ["Directory", "a directory"],
  ["FIFO", "a named pipe"],
  ["CharacterDevice", "a device"],
  ["BlockDevice", "a device"],
  ["Socket", "a socket"]
]

/**
 * Why `file` cannot be read as a data file, or undefined when it can: only regular files
 * are read, since a FIFO waits for a writer forever and `/dev/zero` never ends.
 */
export const unreadableFile = (file: string): Effect.Effect<string | undefined, never, FileSystem.FileSystem> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) =>
    fs.stat(file).pipe(
      Effect.match({
        onFailure: describeFileError,
        onSuccess: (info) => (info.type === "File" ? undefined : `not a regular file (${KINDS.find(([t]) => t === info.type)?.[1] ?? "not a file"})`)
      })
    )
  )
