import { Schema } from "effect"

const Threshold = Schema.Number.pipe(Schema.between(0, 1))
const Confidence = Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThan(1))

/** Flags when the point estimate reaches the threshold. */
export const PointRule = Schema.Struct({
  rule: Schema.Literal("point"),
  threshold: Threshold
})

/** Flags only when the lower confidence bound reaches the threshold (evidence of the risk). */
export const RuleInRule = Schema.Struct({
  rule: Schema.Literal("rule-in"),
  threshold: Threshold,
  confidence: Schema.optionalWith(Confidence, { default: () => 0.95 })
})

/** Flags unless the upper confidence bound is below the threshold: "cannot rule out" fires. */
export const RuleOutRule = Schema.Struct({
  rule: Schema.Literal("rule-out"),
  threshold: Threshold,
  confidence: Schema.optionalWith(Confidence, { default: () => 0.95 })
})

export const DecisionRule = Schema.Union(PointRule, RuleInRule, RuleOutRule)
export type DecisionRule = typeof DecisionRule.Type
