import type { ResolvedEvaluation } from "../domain/evaluation.js"
import { choiceLetter, type Sample } from "../domain/sample.js"

export interface Message {
  readonly role: "system" | "user" | "assistant"
  readonly content: string
}

const formatQuestion = (sample: Sample): string =>
  sample.choices === undefined || sample.choices.length === 0
    ? sample.input
    : `${sample.input}\n\n${sample.choices.map((c, i) => `(${choiceLetter(i)}) ${c}`).join("\n")}`

/**
 * The demonstrations for a sample: the next samples of the dataset that carry a target,
 * skipping the sample itself, so the choice is stable and needs no randomness.
 */
const demonstrationsFor = (evaluation: ResolvedEvaluation, index: number): ReadonlyArray<Sample> => {
  const wanted = evaluation.protocol.demonstrations
  const samples = evaluation.dataset.samples
  const picked: Array<Sample> = []
  for (let step = 1; step < samples.length && picked.length < wanted; step++) {
    const candidate = samples[(index + step) % samples.length]
    if (candidate !== undefined && candidate.target !== undefined) picked.push(candidate)
  }
  return picked
}

/** What a model receives for one sample, and how many worked examples it holds. */
export interface RenderedSample {
  readonly messages: ReadonlyArray<Message>
  readonly demonstrations: number
}

// A replacer function, so "$&" or "$'" inside a sample is inserted literally.
const fill = (template: string, input: string): string => template.replaceAll("{input}", () => input)

/** The messages a model receives for the sample at `index` of the evaluation's dataset. */
export const renderSample = (evaluation: ResolvedEvaluation, index: number): RenderedSample => {
  const sample = evaluation.dataset.samples[index]
  if (sample === undefined) return { messages: [], demonstrations: 0 }
  const { systemPrompt, template } = evaluation.protocol
  const messages: Array<Message> = []
  if (systemPrompt !== undefined) messages.push({ role: "system", content: systemPrompt })
  const demonstrations = demonstrationsFor(evaluation, index)
  for (const demo of demonstrations) {
    messages.push({ role: "user", content: fill(template, formatQuestion(demo)) })
    messages.push({ role: "assistant", content: `Answer: ${demo.target ?? ""}` })
  }
  messages.push({ role: "user", content: fill(template, formatQuestion(sample)) })
  return { messages, demonstrations: demonstrations.length }
}

/** All messages as one text: what a simulated organism scans for cues. */
export const promptText = (messages: ReadonlyArray<Message>): string =>
  messages.map((m) => m.content).join("\n\n")
