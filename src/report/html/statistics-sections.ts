/**
 * The statistics sections rendered alone as HTML, for callers that show one section outside a
 * memo. The sections themselves are written once in ../sections/statistics.ts.
 */
import type { Block } from "../document.js"
import { renderBlocksHtml } from "../render-html.js"
import { biasIntervalBlocks, comparisonBlocks, powerBlocks, type StatisticsParts } from "../sections/statistics.js"
import type { Html } from "./escape.js"

export { biasIntervalsMemoSection, comparisonsMemoSection, powerMemoSection, type StatisticsParts } from "../sections/statistics.js"

const orNull = (blocks: ReadonlyArray<Block>): Html | null => (blocks.length === 0 ? null : renderBlocksHtml(blocks))

/** One sentence per evaluation; null when no evaluation carries power figures. */
export const powerHtml = (parts: StatisticsParts): Html | null => orNull(powerBlocks(parts))

/** The rows that have an interval, shaded when it excludes 0; null when none has. */
export const biasIntervalsHtml = (parts: StatisticsParts): Html | null => orNull(biasIntervalBlocks(parts))

/** What each comparison compares, the table of differences, and the gaps; null when the audit declares none. */
export const comparisonsHtml = (parts: StatisticsParts): Html | null => orNull(comparisonBlocks(parts))
