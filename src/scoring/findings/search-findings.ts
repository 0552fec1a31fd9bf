/** The adversarial search's escaping organism, when it found one. */
import type { SearchScore } from "../../domain/search-settings.js"
import type { Finding } from "../../domain/summary.js"
import { finding } from "./finding.js"

export const searchFindings = (search: SearchScore | null): ReadonlyArray<Finding> => {
  const e = search?.escaping ?? null
  if (search === null || e === null) return []
  return [
    finding("high", e.subject.id, null, {
      _tag: "SearchEscape",
      description: e.description,
      subjectKind: e.subject.kind,
      fired: e.subject.fired,
      replicates: e.subject.replicates,
      minimal: e.minimal,
      replay: e.replay,
      estimate: search.estimate === null ? null : { eligible: search.estimate.eligible, fraction: search.estimate.fraction }
    })
  ]
}
