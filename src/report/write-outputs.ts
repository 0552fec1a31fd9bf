import { FileSystem, Path } from "@effect/platform"
import { Effect, Schema } from "effect"
import { Summary } from "../domain/summary.js"
import { memoMarkdown } from "./memo-markdown.js"

export interface WrittenOutputs {
  readonly memo: string
  readonly summary: string
  readonly json?: string
}

/** Writes `<out>/<run-id>/memo.md` and `summary.json`, and the JSON summary to `jsonFile` if asked. */
export const writeOutputs = (summary: Summary, outDir: string, jsonFile: string | undefined) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const dir = path.join(outDir, summary.runId)
    yield* fs.makeDirectory(dir, { recursive: true })
    const json = `${JSON.stringify(yield* Schema.encode(Summary)(summary), null, 2)}\n`
    const memo = path.join(dir, "memo.md")
    const summaryFile = path.join(dir, "summary.json")
    yield* fs.writeFileString(memo, memoMarkdown(summary))
    yield* fs.writeFileString(summaryFile, json)
    if (jsonFile === undefined) return { memo, summary: summaryFile } satisfies WrittenOutputs
    const jsonDir = path.dirname(jsonFile)
    if (jsonDir !== "") yield* fs.makeDirectory(jsonDir, { recursive: true })
    yield* fs.writeFileString(jsonFile, json)
    return { memo, summary: summaryFile, json: jsonFile } satisfies WrittenOutputs
  })
