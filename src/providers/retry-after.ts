/**
 * The wait a server asks for before the next attempt. `retry-after` is either delay-seconds
 * or an HTTP date (RFC 9110 section 10.2.3); some APIs (OpenAI) also send `retry-after-ms`,
 * which is more precise and wins when both are present.
 */

/** Response headers by lower-case name. */
export type RetryAfterHeaders = Readonly<Record<string, string | undefined>>

const DECIMAL = /^\s*\d+(\.\d+)?\s*$/

/** Milliseconds to wait from `nowMs`, or undefined when the headers ask for nothing usable. */
export const retryAfterMs = (headers: RetryAfterHeaders, nowMs: number): number | undefined => {
  const ms = headers["retry-after-ms"]
  if (ms !== undefined && DECIMAL.test(ms)) return Number(ms)
  const value = headers["retry-after"]
  if (value === undefined) return undefined
  if (DECIMAL.test(value)) return Number(value) * 1000
  // HTTP dates name a weekday and month; without letters Date.parse would read "-3" as a year
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN
  // a date in the past means "now"; an unparsable value is ignored rather than guessed at
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}
