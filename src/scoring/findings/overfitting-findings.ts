/** Evaluations and triggers that catch development organisms better than held-out ones. */
import type { OverfittingScore } from "../../domain/overfitting.js"
import type { Finding } from "../../domain/summary.js"
import { finding } from "./finding.js"

export const overfittingFindings = (scores: ReadonlyArray<OverfittingScore>): ReadonlyArray<Finding> =>
  scores.flatMap((o) =>
    o.overfitting
      ? [
        finding("high", o.subject.id, null, {
          _tag: "Overfitting",
          subjectKind: o.subject.kind,
          unit: o.unit,
          margin: o.margin,
          development: o.development,
          heldOut: o.heldOut,
          difference: o.difference
        })
      ]
      : []
  )
