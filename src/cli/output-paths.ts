import type { WrittenOutputs } from "./write-outputs.js"

/** The files a run or report wrote, one a line, labels aligned. */
export const formatWritten = (written: WrittenOutputs, store?: string): string => {
  const files: ReadonlyArray<readonly [string, string | undefined]> = [
    ["store", store],
    ["memo", written.memo],
    ["html", written.html],
    ["summary", written.summary],
    ["mutation", written.mutationReport],
    ["json", written.json]
  ]
  return files.flatMap(([label, file]) => (file === undefined ? [] : [`${`${label}:`.padEnd(10)}${file}`])).join("\n")
}
