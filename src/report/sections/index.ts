import type { Summary } from "../../domain/summary.js"
import type { MemoDocument } from "../document.js"
import { biasSection } from "./bias.js"
import { datasetsSection } from "./datasets.js"
import { findingsSection } from "./findings.js"
import { gradersSection } from "./graders.js"
import { harnessSection } from "./harness.js"
import { heldOutSection } from "./held-out.js"
import { manipulationChecksSection } from "./manipulation-checks.js"
import { methodSection } from "./method.js"
import { openingBlocks } from "./opening.js"
import { organismsSection } from "./organisms.js"
import { outcomesSection } from "./outcomes.js"
import { ratesSection, triggersSection } from "./rates.js"
import { searchSection } from "./search.js"
import type { MemoSection } from "./section.js"
import { sequentialSection } from "./sequential.js"
import { biasIntervalsMemoSection, comparisonsMemoSection, powerMemoSection } from "./statistics.js"
import { sweepsSection } from "./sweeps.js"
import { timingSection } from "./timing.js"

export type { MemoSection }

/**
 * The memo's sections in reading order after the verdict, the same for Markdown and HTML.
 * Extension point: add a `MemoSection` here, or build a list with `insertSection`.
 */
export const memoSections: ReadonlyArray<MemoSection> = [
  findingsSection,
  outcomesSection,
  triggersSection,
  ratesSection,
  powerMemoSection,
  biasSection,
  biasIntervalsMemoSection,
  comparisonsMemoSection,
  sweepsSection,
  timingSection,
  searchSection,
  heldOutSection,
  datasetsSection,
  sequentialSection,
  organismsSection,
  manipulationChecksSection,
  gradersSection,
  harnessSection,
  methodSection
]

/** A copy of `sections` with `section` placed right after the one whose id is `after` (at the end if none is). */
export const insertSection = (sections: ReadonlyArray<MemoSection>, after: string, section: MemoSection): ReadonlyArray<MemoSection> => {
  const i = sections.findIndex((s) => s.id === after)
  return i < 0 ? [...sections, section] : [...sections.slice(0, i + 1), section, ...sections.slice(i + 1)]
}

/** The memo of a summary as a format-neutral document; a section with nothing to show has no blocks. */
export const memoDocument = (summary: Summary, sections: ReadonlyArray<MemoSection> = memoSections): MemoDocument => ({
  title: `Audit memo: ${summary.audit}`,
  opening: openingBlocks(summary),
  sections: sections.map((section) => ({ id: section.id, title: section.title, major: section.major, blocks: section.render(summary) }))
})
