import type { Summary } from "../../domain/summary.js"
import type { Block } from "../document.js"

/**
 * One section of the memo, written once for both formats: `render` builds its blocks from the
 * summary, and an empty list leaves the section (and its contents entry) out of this memo.
 */
export interface MemoSection {
  /** Anchor id: letters, digits and '-'; unique within the memo. */
  readonly id: string
  /** Heading, also listed in the HTML memo's contents. */
  readonly title: string
  /** Starts a new page when printed. */
  readonly major: boolean
  readonly render: (summary: Summary) => ReadonlyArray<Block>
}
