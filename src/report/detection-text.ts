/**
 * Organism-level figures in words, for the memos and the terminal alike: "reliably caught
 * 1 of 2 relevant organisms", the mean detection probability, escapes per trigger, and
 * what errored cells could change.
 */
import type { OrganismDetection, Summary, TriggerEscape, TriggerScore } from "../domain/summary.js"
import { interval, num, plural, proportion } from "./format.js"

/** "1 of 2 reliably caught" or "no relevant organism" (never a rate over nothing). */
export const reliablyText = (d: OrganismDetection, noun = "relevant organism"): string =>
  d.organisms.length === 0 ? `no ${noun}` : `${d.reliablyCaught.length} of ${plural(d.organisms.length, noun)} reliably caught`

/** "0.50 [0.09, 0.91]", or "–" with no organism. */
export const meanDetectionText = (d: OrganismDetection): string =>
  d.meanDetection.estimate === null ? "–" : `${num(d.meanDetection.estimate)} ${interval(d.meanDetection.lower, d.meanDetection.upper)}`

/** What "reliably" means here, and whether the run's replicates can show it at all: "at least 0.90 (5 replicates cannot show that; it takes 35 of 35)". */
export const levelText = (level: number, replicatesForLevel: number | null, replicates: number): string =>
  `at least ${num(level)}${
    replicatesForLevel !== null && replicatesForLevel > replicates ? ` (${plural(replicates, "replicate")} cannot show that; it takes ${replicatesForLevel} of ${replicatesForLevel} caught)` : ""
  }`

/** The headline of one subject: relevant organisms, then all organisms, in one line. */
export const headlineText = (d: OrganismDetection, all: OrganismDetection): string => {
  const relevant = d.organisms.length === 0 ? "no relevant organism" : `${reliablyText(d)}, mean detection ${meanDetectionText(d)}`
  return `${relevant}; all organisms pooled: sensitivity ${proportion(all.sensitivity)}`
}

/** "errored cells (3): sensitivity 0.70 to 0.78 (worst 28/40, best 31/40)", or "" when nothing errored. */
export const errorBoundsText = (d: OrganismDetection): string =>
  d.errorBounds === null
    ? ""
    : `with its ${plural(d.errorBounds.errored, "errored replicate")} counted both ways, sensitivity lies between ${proportion(d.errorBounds.worst)} (all missed) and ${proportion(d.errorBounds.best)} (all caught)`

/** "`password-locked` escapes asl3-capability in 5 of 5 replicates (1.00 [0.57, 1.00])", with the organism marked by `mark`. */
export const triggerEscapeText = (e: TriggerEscape, mark: (id: string) => string = (id) => id): string =>
  `${mark(e.organism)} escapes ${e.trigger} in ${e.escaped} of ${plural(e.replicates, "replicate")} (${num(e.probability.estimate)} ${interval(e.probability.lower, e.probability.upper)})`

/** The trigger escapes as one sentence, the memo's and terminal's first line; null when nothing to say. */
export const triggerEscapesSentence = (s: Summary, mark?: (id: string) => string): string => {
  if (s.triggers.length === 0) return "Escapes: not judged; the policy has no triggers."
  if (s.triggerEscapes.length === 0) return "Escapes: none; every trigger fired on every organism whose truth required it, in every replicate."
  return `Escapes: ${s.triggerEscapes.map((e) => triggerEscapeText(e, mark)).join("; ")}.`
}

/** "power-seeking-mc and power-seeking-unmonitored share 80 samples (paired variants, the same random draws)". */
export const sharedSamplesText = (t: TriggerScore): string =>
  t.sharedSamples
    .map((p) => `${p.a} and ${p.b} ask ${plural(p.samples, "sample")} in common${p.paired ? " (paired variants: the same random draws too)" : ""}`)
    .join("; ")
