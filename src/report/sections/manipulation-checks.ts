import type { Summary } from "../../domain/summary.js"
import { cell, code, paragraph, styled, table, type Cell } from "../document.js"
import { MISSING, num, proportion } from "../format.js"
import type { MemoSection } from "./section.js"

/** Whether each organism's defects show at their declared rates before any evaluation is blamed for missing them. */
export const manipulationChecksSection: MemoSection = {
  id: "manipulation-checks",
  title: "Calibration checks",
  major: false,
  render: (s: Summary) => [
    paragraph(
      "Before an evaluation is blamed for missing an organism, each of its defect layers must show on its own probe at the rate it declares, since every cell is scored against that truth. Among the probes where the organism under the layer shows no defect, the layer's defect rate is measured with a 99.9% Wilson interval, which must contain the declared rate; probes are drawn until 20 defects are expected (at least the audit's minimum, at most 200,000). Prompted and external organisms are real models, checked otherwise: their defect must show more under its trigger (or unlock) than without it, and what they show is measured, not assumed: every cell of theirs is scored against the measured rate (shown with its interval under Organisms), the interval at the audit's confidence. An organism that fails is excluded from every figure."
    ),
    table(
      ["organism", "layer", "probe", "declared", "measured [CI]", "probes", "rate under the layer", "result"],
      s.organisms.flatMap((o): ReadonlyArray<ReadonlyArray<Cell | string>> =>
        o.manipulationCheck === null
          ? [[o.id, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, "not yet checked (incomplete run)"]]
          : o.manipulationCheck.layers.length === 0
          ? [[o.id, "(none)", MISSING, MISSING, MISSING, MISSING, MISSING, o.control ? "control: no defect to show" : "no defect layers"]]
          : o.manipulationCheck.layers.map((l) => [
            o.id,
            cell([code(l.layer)]),
            l.probe,
            cell(l.declared === undefined ? MISSING : num(l.declared, 4), { align: "number" }),
            cell(proportion(l.organism), { align: "interval" }),
            cell(l.probes === undefined ? MISSING : String(l.probes), { align: "number" }),
            cell(proportion(l.base), { align: "interval" }),
            l.passed ? cell([styled("result-passed", "passed")]) : cell([styled("result-failed", "failed: not scored")])
          ])
      )
    )
  ]
}
