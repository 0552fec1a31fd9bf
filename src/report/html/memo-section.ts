import type { Summary } from "../../domain/summary.js"
import type { Html } from "./escape.js"

/**
 * A section of the memo after the title and verdict. This is the extension point: a later
 * section (detection curves, dataset import notes) is a `MemoSection` added to
 * `memoSections` (memo-html.ts) (or passed to `memoHtml` in a list of its own, e.g. with `insertSection`).
 * Build its body with `html` from `./escape.js`, which escapes every interpolated string.
 */
export interface MemoSection {
  /** Anchor id: letters, digits and '-'; unique within the memo. */
  readonly id: string
  /** Heading, also listed in the contents. */
  readonly title: string
  /** Starts a new page when printed. */
  readonly major: boolean
  /** The body under the heading, or null to leave the section out of this memo. */
  readonly render: (summary: Summary) => Html | null
}

