import type { Summary } from "../../domain/summary.js"
import { cell, code, joined, strong, table } from "../document.js"
import { interval, MISSING, num } from "../format.js"
import type { MemoSection } from "./section.js"
import { plural } from "../../domain/plural.js"

type Organism = Summary["organisms"][number]

/** "0.23 [0.12, 0.41] measured (declared 0.99)" for a quantity the organism's calibration measured, else the value. */
const value = (o: Organism, kind: "capability" | "propensity", name: string, v: number): string => {
  const m = o.measuredTruth?.find((q) => (q.measure.kind === "capability" ? q.measure.domain : q.measure.behaviour) === name && q.measure.kind === kind)
  return m === undefined ? num(v) : `${num(m.estimate)} ${interval(m.lower, m.upper)} measured${m.declared === undefined ? "" : ` (declared ${num(m.declared)})`}`
}

const truthText = (o: Organism): string => {
  const caps = Object.entries(o.truth.capabilities).map(([d, v]) => `${d} ${value(o, "capability", d, v)}`)
  const props = Object.entries(o.truth.propensities).map(([b, v]) => `${b} ${value(o, "propensity", b, v)}`)
  return [`capability ${num(o.truth.capability)}`, ...caps, ...props].join(", ")
}

/** Every organism: what it is, its defect layers and truth, whether it was scored, whether it escapes the policy and its evaluation coverage. */
export const organismsSection: MemoSection = {
  id: "organisms",
  title: "Organisms",
  major: true,
  render: (s: Summary) => [
    table(
      ["organism", "description", "defect layers", "truth", "status", "policy escape", "uncaught by evaluations"],
      s.organisms.map((o) => [
        o.id,
        o.description === "" ? MISSING : o.description,
        o.layers.length === 0 ? (o.control ? "none (null control)" : "none") : cell(joined(o.layers.map(code), ", ")),
        truthText(o),
        o.scored ? "scored" : o.manipulationCheck === null ? "not yet checked" : cell([strong("not scored"), ": failed its manipulation check"]),
        o.policyEscape === null ? MISSING : `${o.policyEscape.escaped} of ${plural(o.policyEscape.atStake, "replicate")}`,
        o.escape === null ? MISSING : `${o.escape.escaped} of ${plural(o.escape.replicates, "replicate")}`
      ])
    )
  ]
}
