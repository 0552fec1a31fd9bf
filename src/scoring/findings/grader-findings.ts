/** One finding per grader property that failed, with its counterexample and replay. */
import type { Finding, GraderScore } from "../../domain/summary.js"
import { finding } from "./finding.js"

export const graderFindings = (graders: ReadonlyArray<GraderScore>): ReadonlyArray<Finding> =>
  graders.flatMap((g) =>
    g.properties.flatMap((p) =>
      p._tag === "Failed"
        ? [
          finding("high", g.evaluations.join(", "), null, {
            _tag: "GraderFault",
            grader: g.grader,
            evaluations: g.evaluations,
            property: p.property,
            counterexample: p.counterexample,
            shrinks: p.shrinks,
            error: p.error,
            seed: p.seed,
            path: p.path
          })
        ]
        : []
    )
  )
