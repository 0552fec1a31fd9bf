/**
 * The fence around the response a judge grades. It is derived from a hash, so the same
 * sample always gets the same prompt (and the same cache key), yet the graded model cannot
 * know it: it depends on the rubric and the sample, which the graded model never sees in
 * full. If the text to fence contains the fence anyway, the next candidate is taken, so a
 * response can never close its own fence and write outside it.
 */
import { sha256Hex } from "../../stats/seeded-random.js"

/**
 * The first candidate that does not occur in `text` (case-insensitively). Candidates must
 * differ from one another: `text` holds fewer distinct substrings of a candidate's length
 * than it has characters, so the search ends within `text.length + 1` attempts.
 */
export const fenceAvoiding = (text: string, candidate: (attempt: number) => string): string => {
  const haystack = text.toLowerCase()
  for (let attempt = 0; ; attempt++) {
    const fence = candidate(attempt)
    if (!haystack.includes(fence.toLowerCase())) return fence
  }
}

/** A fence token for `key` that does not occur in `text`: "RESPONSE-" and 16 hex digits. */
export const fenceFor = (key: string, text: string): string =>
  fenceAvoiding(text, (attempt) => `RESPONSE-${sha256Hex(`${key}\u0000${attempt}`).slice(0, 16)}`)

export const openingLine = (fence: string): string => `<<<${fence}>>>`
export const closingLine = (fence: string): string => `<<<END-${fence}>>>`
