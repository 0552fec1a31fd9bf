export interface RunOptions {
  /** Overrides the audit's seed (a new run only; a resumed run keeps its own). */
  readonly seed?: number | undefined
  readonly replicates?: number | undefined
  readonly concurrency: number
  /** Threads measuring simulated cells (default 1: the main thread alone); never changes a number. */
  readonly workers?: number | undefined
  /** Resume this run, or create it under this id. */
  readonly runId?: string | undefined
  /** The command line, recorded so the memo can say how to reproduce the run. */
  readonly command: string
  /** Responses written per store transaction (default 4,096): the most a crash can lose. */
  readonly batchSamples?: number | undefined
}
