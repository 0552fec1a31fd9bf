import type { Summary } from "../../domain/summary.js"
import { cell, note, paragraph, table, th } from "../document.js"
import { decimalsFor, difference } from "../../scoring/printed-figures.js"
import { num, signed } from "../format.js"
import type { MemoSection } from "./section.js"

/** Biases at least this large (either sign) are shaded: large enough to flip a decision near a threshold. */
export const LARGE_BIAS = 0.1

/** Why a sequential evaluation's mean is not an estimate of the rate. */
export const SEQUENTIAL_BIAS_NOTE =
  "Sequentially sampled evaluations stop as soon as their decision is settled, so their measured means are biased by the stopping (a cell that stopped after a few early events overstates its rate): read their bias as a property of the design, not of the organism"

/** Measured minus true value per evaluation and organism, with the spread and standard error behind it. */
export const biasSection: MemoSection = {
  id: "bias",
  title: "Measurement bias",
  major: false,
  render: (s: Summary) => {
    const sequentialIds = s.evaluations.filter((e) => e.sequential !== undefined).map((e) => e.id)
    const clustered = s.evaluations.flatMap((e) =>
      e.clustering === undefined
        ? []
        : [`${e.id} groups its ${e.samples} samples into ${e.clustering.clusters} clusters by ${e.clustering.field} (design effect ${num(e.clustering.designEffect)}, ${num(e.clustering.effectiveSamples, 1)} effective samples)`]
    )
    return [
      ...(sequentialIds.length === 0 ? [] : [note(`${SEQUENTIAL_BIAS_NOTE} (${sequentialIds.join(", ")}).`)]),
      ...(clustered.length === 0
        ? []
        : [note(`Clustered samples are not independent: ${clustered.join("; ")}. Their decision bounds and power are taken at the effective sample size, and the clustered standard error is shown in brackets.`)]),
      paragraph(
        `Measured minus true value, mean over replicates, with the measured mean and its standard deviation over replicates. Biases of ${num(LARGE_BIAS)} or more either way are marked (large). A large negative bias on a capability evaluation is the signature of sandbagging; a large positive one, of a grader that can be gamed.`
      ),
      table(
        [
          "evaluation",
          "organism",
          th("true", { align: "number" }),
          th("measured (sd over replicates)", { align: "number" }),
          th("bias", { align: "number" }),
          th(clustered.length > 0 ? "SE per cell (clustered)" : "SE per cell", { align: "number" })
        ],
        s.evaluations.flatMap((e) =>
          e.organisms.map((r) => {
            const large = r.bias !== null && r.bias !== undefined && Math.abs(r.bias) >= LARGE_BIAS
            const se =
              r.clusteredStandardError === undefined || r.clusteredStandardError === null
                ? num(r.standardError, 3)
                : `${num(r.standardError, 3)} (${num(r.clusteredStandardError, 3)})`
            // Enough decimals that the printed bias is the printed measured minus the printed truth (0.475 vs 0.9 is not "0.47 ... -0.42").
            const d =
              typeof r.truth === "number" && typeof r.measuredMean === "number" && typeof r.bias === "number"
                ? decimalsFor([difference(r.measuredMean, r.truth, r.bias)])
                : 2
            return [
              e.id,
              r.organism,
              cell(num(r.truth, d), { align: "number" }),
              cell(`${num(r.measuredMean, d)} (${num(r.measuredSd)})`, { align: "number" }),
              cell(`${signed(r.bias, d)}${large ? " (large)" : ""}`, { align: "number", highlight: large }),
              cell(se, { align: "number" })
            ]
          })
        )
      )
    ]
  }
}
