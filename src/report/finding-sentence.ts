import type { Finding } from "../domain/summary.js"

/** The sentence a finding is shown with, in every memo and on the terminal (plain text; each format escapes it). */
export const findingSentence = (finding: Finding): string => finding.message
