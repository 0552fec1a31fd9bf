import { describe, expect, it } from "vitest"
import type { ResolvedEvaluation } from "../src/domain/evaluation.js"
import { Schema } from "effect"
import { OrganismSpec } from "../src/domain/organism.js"
import { simulate } from "../src/organisms/organism.js"
import { measureInProcess, prepareEvaluation } from "../src/measure/measure-cell.js"
import { simulatedRespondent } from "../src/measure/respondent.js"
import { promptText, renderSample } from "../src/evaluations/prompt.js"
import { respond } from "../src/organisms/respond.js"
import { graderFor } from "../src/evaluations/graders/grade.js"
import { drawFor } from "../src/stats/seeded-random.js"

const evaluation = (samples: ResolvedEvaluation["dataset"]["samples"], protocol: Partial<ResolvedEvaluation["protocol"]> = {}): ResolvedEvaluation => ({
  id: "e",
  measures: { kind: "capability", domain: "bio" },
  dataset: { source: "inline", samples },
  protocol: { template: "Q: {input}", demonstrations: 0, epochs: 1, ...protocol },
  grader: { type: "choice" },
  metric: "mean",
  decision: { rule: "point", threshold: 0.6 }
})
const mcq = (i: number) => ({ id: `q${i}`, input: `Question ${i}`, choices: ["w", "x"], target: "B" })

describe("prompt rendering", () => {
  it("puts the system prompt first and labels the choices", () => {
    const { messages } = renderSample(evaluation([mcq(0)], { systemPrompt: "Be careful." }), 0)
    expect(messages).toEqual([
      { role: "system", content: "Be careful." },
      { role: "user", content: "Q: Question 0\n\n(A) w\n(B) x" }
    ])
  })

  it("inserts sample text literally, even with $ replacement patterns", () => {
    const sample = { id: "d", input: "Costs $& and $' and $$ today", choices: ["a", "b"], target: "A" }
    expect(promptText(renderSample(evaluation([sample]), 0).messages)).toContain("Costs $& and $' and $$ today")
  })

  it("reports the demonstrations it actually shows, never more than the dataset holds", () => {
    const three = evaluation([mcq(0), mcq(1), mcq(2)], { demonstrations: 8 })
    const rendered = renderSample(three, 0)
    expect(rendered.demonstrations).toBe(2)
    expect(rendered.messages.filter((m) => m.role === "assistant")).toHaveLength(2)
    expect(promptText(rendered.messages)).not.toContain("Question 0\n\n(A) w\n(B) x\n\nQ:")
  })

  it("a password-locked organism stays locked when fewer demonstrations are shown than it needs", () => {
    const locked = simulate(Schema.decodeUnknownSync(OrganismSpec)({ id: "pl", layers: [{ _tag: "password-locked", lockedCapability: 0 }] }))
    const small = prepareEvaluation(evaluation([mcq(0), mcq(1), mcq(2)], { demonstrations: 8 }))
    expect(measureInProcess(small, simulatedRespondent(locked), 1, 0).result).toMatchObject({ _tag: "Measured", k: 0 })
  })
})

describe("responses", () => {
  it("every phrasing of a chosen letter is credited by the choice grader", () => {
    const grader = graderFor({ type: "choice" })
    const sample = mcq(0)
    for (let i = 0; i < 200; i++) {
      const draw = drawFor({ seed: 1, organism: "o", evaluation: "e", sample: `s${i}`, epoch: 0, replicate: 0 })
      expect(grader(sample, respond(sample, { _tag: "Answer", correct: true }, draw)).score).toBe(1)
      expect(grader(sample, respond(sample, { _tag: "Answer", correct: false }, draw)).score).toBe(0)
    }
  })

  it("epochs are averaged per sample: n counts samples, not asks", () => {
    const capable = simulate(Schema.decodeUnknownSync(OrganismSpec)({ id: "c", control: true }))
    const cell = measureInProcess(prepareEvaluation(evaluation([mcq(0), mcq(1)], { epochs: 3 })), simulatedRespondent(capable), 1, 0)
    expect(cell.samples).toHaveLength(6)
    expect(cell.result).toMatchObject({ _tag: "Measured", n: 2 })
  })
})
