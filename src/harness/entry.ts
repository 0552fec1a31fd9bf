/**
 * One answer a harness logged and scored, in whichever format it came: what `evalaudit
 * score` maps onto a cell of the audit. Pure data; the parsers in this folder make it.
 */
export interface HarnessEntry {
  /** The task (Inspect) or eval description (promptfoo) it belongs to. */
  readonly task: string
  /** The model as the log names it, provider prefix included. */
  readonly model: string
  /** The sample's id in the harness, when it has one. */
  readonly sampleId: string | undefined
  /** 0-based epoch (Inspect) or repeat (promptfoo) of this sample. */
  readonly epoch: number
  /** What the model was sent, as one text (the item is recognised in it). */
  readonly prompt: string
  readonly response: string
  /** The harness's own score in [0, 1]; undefined when it scored nothing (an errored sample). */
  readonly score: number | undefined
  readonly explanation: string
  /** Where in the log it was, for messages. */
  readonly where: string
}

export type LogFormat = "inspect-json" | "inspect-eval" | "promptfoo"

export interface HarnessLog {
  readonly format: LogFormat
  readonly entries: ReadonlyArray<HarnessEntry>
}
