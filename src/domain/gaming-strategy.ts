import { Schema } from "effect"

/** How a grader gamer writes a response in place of its wrong answer (see `GraderGamerLayer`). */
export const GamingStrategy = Schema.Literal("hedge", "inject", "pad")
export type GamingStrategy = typeof GamingStrategy.Type
