/** What both protocols send back for one request, before it is encoded. */
export interface Reply {
  /** Derived from the request's hash, so a repeated request gets the same id. */
  readonly id: string
  readonly model: string
  readonly text: string
  /** Unix seconds. */
  readonly created: number
  readonly promptTokens: number
  readonly completionTokens: number
}

/**
 * A token count estimate: words and punctuation marks, each one token. The usage fields are
 * consistent (the streamed count equals the whole one, total = prompt + completion), not a
 * real tokenizer's.
 */
export const tokenCount = (text: string): number => text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0

/** The text in the pieces a stream sends: one word each, with the spaces before it, so joined they give the text back. */
export const streamPieces = (text: string): Array<string> => text.match(/\s*\S+\s*$|\s*\S+/g) ?? (text === "" ? [] : [text])

/** One server-sent event; `event` names it (Anthropic) or is left out (OpenAI). */
export const sseEvent = (data: string, event?: string): string => `${event === undefined ? "" : `event: ${event}\n`}data: ${data}\n\n`
