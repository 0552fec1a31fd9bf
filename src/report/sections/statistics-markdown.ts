/**
 * The statistics sections rendered alone as Markdown lines, for callers that show one section
 * outside a memo. The sections themselves are written once in ./statistics.ts.
 */
import { renderSectionMarkdown } from "../render-markdown.js"
import type { MemoSection } from "./section.js"
import {
  biasIntervalBlocks,
  biasIntervalsMemoSection,
  comparisonBlocks,
  comparisonsMemoSection,
  powerBlocks,
  powerMemoSection,
  type BiasOfEvaluation,
  type PowerOfEvaluation
} from "./statistics.js"
import type { ComparisonScore } from "../../domain/statistics-summary.js"

export { powerText, type BiasOfEvaluation, type PowerOfEvaluation } from "./statistics.js"

const lines = (section: MemoSection, blocks: ReturnType<MemoSection["render"]>): Array<string> => {
  const text = renderSectionMarkdown({ ...section, blocks })
  return text === "" ? [] : text.split("\n")
}

/** "## Power at each evaluation's sample size" with one sentence per evaluation; empty when no evaluation has power figures. */
export const powerSection = (evaluations: ReadonlyArray<PowerOfEvaluation>): Array<string> => lines(powerMemoSection, powerBlocks({ evaluations }))

/** "## Bias across replicates": the rows that have an interval; empty when none does. */
export const biasIntervalSection = (evaluations: ReadonlyArray<BiasOfEvaluation>): Array<string> =>
  lines(biasIntervalsMemoSection, biasIntervalBlocks({ evaluations }))

/** "## Paired comparisons"; empty when the audit declares none. */
export const comparisonsSection = (comparisons: ReadonlyArray<ComparisonScore>): Array<string> => lines(comparisonsMemoSection, comparisonBlocks({ comparisons }))
