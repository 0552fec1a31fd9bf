import { Schema } from "effect"
import { OrganismSpec } from "../domain/organism.js"
import type { SearchScore } from "../domain/search-settings.js"
import { formatSearchResult, type SearchReport } from "./search-escapes.js"

const encodeOrganism = Schema.encodeSync(OrganismSpec)

/** A search report as the summary keeps it. */
export const searchScore = (report: SearchReport, scope: string): SearchScore => {
  const result = report.result
  const first = result._tag === "Escaped" ? result.escaping.escapes[0] : undefined
  return {
    seed: result.seed,
    runs: result.runs,
    replicates: report.replicates,
    scope,
    escaping:
      result._tag === "Escaped" && first !== undefined
        ? {
          description: result.escaping.description,
          organism: encodeOrganism(result.escaping.organism),
          minimal: result.minimal,
          subject: { kind: first.kind, id: first.id, fired: first.fired, replicates: first.replicates },
          conditions: first.conditions.map((c) => ({ ...c, measured: [...c.measured] })),
          replay: { seed: result.seed, path: result.path },
          line: formatSearchResult(result)
        }
        : null,
    estimate:
      report.estimate === null ? null : { drawn: report.estimate.drawn, eligible: report.estimate.eligible, fraction: report.estimate.fraction },
    skipped: report.skipped
  }
}

