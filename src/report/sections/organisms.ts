import type { Summary } from "../../domain/summary.js"
import { cell, code, joined, strong, table } from "../document.js"
import { MISSING, num } from "../format.js"
import type { MemoSection } from "./section.js"
import { plural } from "../../domain/plural.js"

const truthText = (o: Summary["organisms"][number]): string => {
  const caps = Object.entries(o.truth.capabilities).map(([d, v]) => `${d} ${num(v)}`)
  const props = Object.entries(o.truth.propensities).map(([b, v]) => `${b} ${num(v)}`)
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
