/**
 * Text from audit files and models is hostile on a terminal: an ESC sequence in a trigger's
 * commitment could erase a "[critical]" line or paint a fake verdict. Every control
 * character but newline and tab is shown as a visible escape, and long values are cut.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu

const visible = (c: string): string => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`

/** The text with control characters made visible (newlines and tabs kept). */
export const visibleControls = (text: string): string => text.replace(CONTROL, visible)

/** `text` cut to `maxLength` characters, saying how long it was. */
export const cut = (text: string, maxLength: number): string =>
  text.length <= maxLength ? text : `${text.slice(0, maxLength)}... (${text.length} characters)`

/** The text with control characters made visible and cut to `maxLength` characters (default 2,000). */
export const forTerminal = (text: string, maxLength = 2000): string => cut(visibleControls(text), maxLength)

/** A run of this many characters without a space is a value, not prose: an error message shows its start. */
const LONG_WORD = /[^\s]{241,}/gu
/** And no line of a message, however it is spaced, is longer than this. */
const MAX_LINE = 1000

/**
 * An error message made safe and short for a terminal: control characters visible, every
 * long value (an unknown key's name, a 5 MB string echoed by a validator) cut to its first
 * 200 characters with its length, and every line to 1,000 characters, so a message stays
 * readable and every problem in it still shows.
 */
export const forMessage = (text: string): string =>
  visibleControls(text)
    .split("\n")
    .map((line) => cut(line.replace(LONG_WORD, (word) => cut(word, 200)), MAX_LINE))
    .join("\n")
