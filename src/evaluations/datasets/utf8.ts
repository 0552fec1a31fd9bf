import { Either } from "effect"

const NEWLINE = 0x0a

// Fatal: invalid bytes are an error, never silently replaced by U+FFFD. The BOM is kept so
// that every line decodes alike; callers strip it where a file may start with one.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

export const INVALID_UTF8 = "invalid UTF-8 (the file must be UTF-8 text)"

/** Text of UTF-8 bytes, or null when they are not valid UTF-8. */
export const utf8Text = (bytes: Uint8Array): string | null => {
  try {
    return decoder.decode(bytes)
  } catch {
    return null
  }
}

/** The 0-based index of the first line of `bytes` that is not valid UTF-8 ("\n" never occurs inside a multi-byte sequence). */
const invalidLine = (bytes: Uint8Array): number => {
  let start = 0
  for (let line = 0; ; line++) {
    const end = bytes.indexOf(NEWLINE, start)
    if (utf8Text(bytes.subarray(start, end < 0 ? bytes.length : end)) === null || end < 0) return line
    start = end + 1
  }
}

/** A whole document's text (a leading BOM removed), or the 1-based line of its first invalid UTF-8. */
export const decodeDocument = (bytes: Uint8Array): Either.Either<string, number> => {
  const text = utf8Text(bytes)
  if (text === null) return Either.left(invalidLine(bytes) + 1)
  return Either.right(text.startsWith("\uFEFF") ? text.slice(1) : text)
}

/**
 * Splits a stream of byte chunks into lines ("\n" removed, "\r" kept) in linear time: each
 * byte is searched once, and a line spread over many chunks is joined once, when it ends.
 */
export class LineSplitter {
  private parts: Array<Uint8Array> = []
  /** Bytes searched for line ends and bytes copied to join lines: both at most the input's size. */
  readonly work = { scanned: 0, copied: 0 }

  /** The lines that `chunk` completes. */
  push(chunk: Uint8Array): Array<Uint8Array> {
    const lines: Array<Uint8Array> = []
    let start = 0
    for (let end = chunk.indexOf(NEWLINE); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
      lines.push(this.join(chunk.subarray(start, end)))
      start = end + 1
    }
    this.work.scanned += chunk.length
    // Copied: the reader may reuse its buffer for the next chunk.
    if (start < chunk.length) this.parts.push(chunk.slice(start))
    return lines
  }

  /** The last line, when the input does not end with "\n". */
  end(): Uint8Array | undefined {
    return this.parts.length === 0 ? undefined : this.join(new Uint8Array(0))
  }

  private join(last: Uint8Array): Uint8Array {
    if (this.parts.length === 0) return last
    const parts = [...this.parts, last]
    this.parts = []
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
    let at = 0
    for (const part of parts) {
      joined.set(part, at)
      at += part.length
    }
    this.work.copied += joined.length
    return joined
  }
}
