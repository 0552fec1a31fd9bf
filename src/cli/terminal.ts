/**
 * Text from audit files and models is hostile on a terminal: an ESC sequence in a trigger's
 * commitment could erase a "[critical]" line or paint a fake verdict. Every control
 * character but newline and tab is shown as a visible escape, and long values are cut.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu

const visible = (c: string): string => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`

/** The text with control characters made visible and cut to `maxLength` characters (default 2,000). */
export const forTerminal = (text: string, maxLength = 2000): string => {
  const shown = text.replace(CONTROL, visible)
  return shown.length <= maxLength ? shown : `${shown.slice(0, maxLength)}... (${shown.length - maxLength} more characters)`
}
