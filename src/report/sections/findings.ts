import type { Finding, FindingEvidence, Summary } from "../../domain/summary.js"
import { paragraph, styled, type Block, type ListItem } from "../document.js"
import { excerpt, num } from "../format.js"
import { findingSentence } from "../finding-sentence.js"
import type { MemoSection } from "./section.js"

/** Where a quoted response was stored: "(evaluation e, organism o, replicate 1, sample s3, epoch 0, score 1.00)". */
export const evidenceLocation = (e: FindingEvidence): string =>
  `(evaluation ${e.evaluation}, organism ${e.organism}, replicate ${e.replicate}, sample ${e.sample}, epoch ${e.epoch}, score ${num(e.score)})`

/** The stored response a finding rests on, quoted: cut, controls made visible, escaped by each renderer. */
export const evidenceBlock = (e: FindingEvidence): Block => ({ _tag: "Quote", text: excerpt(e.response), source: [evidenceLocation(e)] })

const item = (f: Finding): ListItem => ({
  content: [
    styled("finding-head", styled(`badge-${f.severity}`, f.severity), " ", styled("finding-kind", `(${f.kind})`)),
    " ",
    styled("finding-message", findingSentence(f))
  ],
  ...(f.evidence === undefined ? {} : { blocks: [evidenceBlock(f.evidence)] })
})

export const findingsSection: MemoSection = {
  id: "findings",
  title: "Findings, most severe first",
  major: false,
  render: (s: Summary) => (s.findings.length === 0 ? [paragraph("No findings.")] : [{ _tag: "List", ordered: true, style: "findings", items: s.findings.map(item) }])
}
