/** Findings about organisms: a failed manipulation check, and an escape from the policy. */
import { measureLabel } from "../../domain/measure.js"
import type { Finding, OrganismScore } from "../../domain/summary.js"
import type { Scope } from "../scoring-input.js"
import { finding } from "./finding.js"

export const organismFindings = (organisms: ReadonlyArray<OrganismScore>, scope: Scope): ReadonlyArray<Finding> => {
  const affects = new Map(scope.profiles.map((p) => [p.id, p.affects.map(measureLabel)]))
  return organisms.flatMap((o) => {
    const check = o.manipulationCheck
    const escape = o.escape
    return [
      ...(check !== null && !check.passed
        ? [
          finding("high", o.id, o.id, {
            _tag: "ManipulationCheckFailed",
            layers: check.layers.filter((l) => !l.passed).map((l) => ({ layer: l.layer, organism: l.organism, base: l.base, ...(l.declared === undefined ? {} : { declared: l.declared }), ...(l.rule === undefined ? {} : { rule: l.rule }) }))
          })
        ]
        : []),
      ...(escape !== null && escape.escaped > 0
        ? [
          finding(escape.rate >= 0.5 ? "high" : "medium", o.id, o.id, {
            _tag: "OrganismEscape",
            affects: affects.get(o.id) ?? [],
            escaped: escape.escaped,
            replicates: escape.replicates
          })
        ]
        : [])
    ]
  })
}
