import { kindOf, type FindingFigures } from "../../domain/finding-figures.js"
import type { Finding, Severity } from "../../domain/summary.js"

/** A finding whose kind follows from its figures, so the two never disagree. */
export const finding = (severity: Severity, subject: string, organism: string | null, figures: FindingFigures): Finding => ({
  severity,
  kind: kindOf(figures),
  subject,
  organism,
  figures
})
