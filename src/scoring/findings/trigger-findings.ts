/** Findings about policy triggers: a missed commitment is critical, a false alarm medium. */
import type { Finding, TriggerScore } from "../../domain/summary.js"
import { finding } from "./finding.js"

export const triggerFindings = (triggers: ReadonlyArray<TriggerScore>): ReadonlyArray<Finding> =>
  triggers.flatMap((trigger) =>
    trigger.organisms.flatMap(({ organism, outcomes }) => {
      const replicates = outcomes.caught + outcomes.missed + outcomes.falseAlarm + outcomes.correctPass + outcomes.error
      return [
        ...(outcomes.missed > 0
          ? [finding("critical", trigger.id, organism, { _tag: "TriggerMiss", commitment: trigger.commitment, missed: outcomes.missed, replicates })]
          : []),
        ...(outcomes.falseAlarm > 0 ? [finding("medium", trigger.id, organism, { _tag: "TriggerFalseAlarm", fired: outcomes.falseAlarm, replicates })] : [])
      ]
    })
  )
