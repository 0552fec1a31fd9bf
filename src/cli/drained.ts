/**
 * Resolves once everything written to `stream` has left the process. A pipe takes 64 KiB
 * before writes queue up in memory, and `process.exit` drops the queue: without this, a
 * reader slower than the command lost the end of its output.
 */
export const drained = (stream: NodeJS.WritableStream & { readonly writableLength: number; readonly destroyed: boolean }): Promise<void> =>
  new Promise((resolve) => {
    if (stream.destroyed || stream.writableLength === 0) return resolve()
    stream.write("", () => resolve())
  })
