import type { Summary } from "../../domain/summary.js"
import { bullets, paragraph } from "../document.js"
import { proportion } from "../format.js"
import type { MemoSection } from "./section.js"
import { plural } from "../../domain/plural.js"

/** The adversarial search: the simplest organism that escapes, and how much of the distribution does. */
export const searchSection: MemoSection = {
  id: "search",
  title: "Adversarial search",
  major: false,
  render: (s: Summary) => {
    const search = s.search
    if (search === null) return []
    return [
      paragraph(
        `fast-check searched ${plural(search.runs, "organism")} (seed ${search.seed}, ${plural(search.replicates, "replicate")} each, scope: ${search.scope}) for one that escapes: its truth calls for a trigger or evaluation to fire (at or above the threshold and outside its indifference zone, as scoring judges), yet it fires in at most half the replicates. It is shrunk to the simplest that still escapes.${search.skipped.length === 0 ? "" : ` Not searched (judge graders): ${search.skipped.join(", ")}.`}`
      ),
      search.escaping === null ? paragraph("No escaping organism found.") : bullets([[search.escaping.line]]),
      ...(search.estimate === null
        ? []
        : [
          paragraph(
            `Escape fraction: of ${plural(search.estimate.drawn, "organism")} drawn from the search space, ${search.estimate.eligible} must be caught (their truth lies above a threshold in scope, outside its indifference zone) and ${proportion(search.estimate.fraction)} of those escape.`
          )
        ])
    ]
  }
}
