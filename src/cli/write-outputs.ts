import { FileSystem, Path } from "@effect/platform"
import { Effect, Schema } from "effect"
import { Summary } from "../domain/summary.js"
import { detectionCurveFile, detectionCurveSvg } from "../report/detection-curve-svg.js"
import { memoHtml } from "../report/memo-html.js"
import { memoMarkdown } from "../report/memo-markdown.js"
import { mutationReport } from "../report/mutation-report.js"
import { writeFileAtomic } from "./write-file-atomic.js"

export interface WrittenOutputs {
  readonly memo: string
  readonly html: string
  readonly summary: string
  readonly mutationReport: string
  readonly json?: string
}

/**
 * Writes a run's reports into `<out>/<run-id>/`: `memo.md`, `memo.html` (self-contained, for
 * people), `summary.json` (for tools) and `mutation-report.json` (for the
 * mutation-testing-elements viewer); and the JSON summary to `jsonFile` if asked. Each file
 * is written whole or not at all (see `writeFileAtomic`).
 */
export const writeOutputs = (summary: Summary, outDir: string, jsonFile: string | undefined) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const dir = path.join(outDir, summary.runId)
    yield* fs.makeDirectory(dir, { recursive: true })
    const json = `${JSON.stringify(yield* Schema.encode(Summary)(summary), null, 2)}\n`
    const written = {
      memo: path.join(dir, "memo.md"),
      html: path.join(dir, "memo.html"),
      summary: path.join(dir, "summary.json"),
      mutationReport: path.join(dir, "mutation-report.json")
    }
    yield* writeFileAtomic(written.memo, memoMarkdown(summary))
    yield* writeFileAtomic(written.html, memoHtml(summary))
    yield* writeFileAtomic(written.summary, json)
    yield* writeFileAtomic(written.mutationReport, `${JSON.stringify(mutationReport(summary), null, 2)}\n`)
    // The Markdown memo links each sweep's chart by this name; the HTML memo inlines it.
    for (const sweep of summary.sweeps) {
      yield* writeFileAtomic(path.join(dir, detectionCurveFile(sweep.id)), `${detectionCurveSvg(sweep).toString()}\n`)
    }
    if (jsonFile === undefined) return written satisfies WrittenOutputs
    const jsonDir = path.dirname(jsonFile)
    if (jsonDir !== "") yield* fs.makeDirectory(jsonDir, { recursive: true })
    yield* writeFileAtomic(jsonFile, json)
    return { ...written, json: jsonFile } satisfies WrittenOutputs
  })
