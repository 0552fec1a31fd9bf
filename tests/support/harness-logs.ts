/**
 * Harness logs written from a `run`'s stored responses, as a harness that asked evalaudit's
 * organisms (through `evalaudit serve`, one model name per organism and replicate) would
 * have logged them: Inspect `.json` logs, one per evaluation, organism and replicate, and
 * one promptfoo results file per evaluation. `score` over them must decide what `run` did.
 */
import Database from "better-sqlite3"
import { writeFileSync } from "node:fs"
import { join } from "node:path"

export interface StoredResponse {
  readonly evaluation: string
  readonly organism: string
  readonly replicate: number
  readonly sample: string
  readonly epoch: number
  readonly response: string
  readonly score: number
}

export const storedResponses = (db: string, runId: string): ReadonlyArray<StoredResponse> => {
  const conn = new Database(db, { readonly: true, fileMustExist: true })
  try {
    return conn
      .prepare("SELECT evaluation, organism, replicate, sample, epoch, response, score FROM responses WHERE run_id = ? ORDER BY evaluation, organism, replicate, sample, epoch")
      .all(runId) as ReadonlyArray<StoredResponse>
  } finally {
    conn.close()
  }
}

const groupBy = <A>(items: ReadonlyArray<A>, key: (a: A) => string): Map<string, Array<A>> => {
  const map = new Map<string, Array<A>>()
  for (const item of items) {
    const k = key(item)
    const list = map.get(k)
    if (list === undefined) map.set(k, [item])
    else list.push(item)
  }
  return map
}

/** One Inspect log per (evaluation, organism, replicate); `score` maps the harness's verdict (default: the run's grade). */
export const writeInspectLogs = (
  dir: string,
  responses: ReadonlyArray<StoredResponse>,
  inputs: ReadonlyMap<string, string>,
  score: (r: StoredResponse) => number = (r) => r.score
): ReadonlyArray<string> =>
  [...groupBy(responses, (r) => `${r.evaluation}/${r.organism}/${r.replicate}`)].map(([, rows]) => {
    const { evaluation, organism, replicate } = rows[0] ?? { evaluation: "", organism: "", replicate: 0 }
    const log = {
      version: 2,
      status: "success",
      eval: { task: evaluation.replace(/-/g, "_"), model: `openai/${organism}@${replicate}`, created: "2026-01-01T00:00:00+00:00" },
      results: { total_samples: rows.length, completed_samples: rows.length, scores: [{ name: "choice", metrics: {} }] },
      samples: rows.map((r) => ({
        id: r.sample,
        epoch: r.epoch + 1,
        input: inputs.get(r.sample) ?? "",
        messages: [
          { role: "user", content: inputs.get(r.sample) ?? "" },
          { role: "assistant", content: r.response }
        ],
        output: { model: organism, choices: [{ message: { role: "assistant", content: [{ type: "text", text: r.response }] }, stop_reason: "stop" }] },
        scores: { choice: { value: score(r) >= 0.5 ? "C" : "I", answer: r.response, explanation: "" } }
      }))
    }
    const file = join(dir, `${evaluation}-${organism}-${replicate}.json`)
    writeFileSync(file, JSON.stringify(log))
    return file
  })

/** One promptfoo results file per evaluation, every organism and replicate a provider `openai:chat:<organism>@<r>`. */
export const writePromptfooResults = (
  dir: string,
  responses: ReadonlyArray<StoredResponse>,
  inputs: ReadonlyMap<string, string>,
  score: (r: StoredResponse) => number = (r) => r.score
): ReadonlyArray<string> =>
  [...groupBy(responses, (r) => r.evaluation)].map(([evaluation, rows]) => {
    const results = rows.map((r, i) => {
      const pass = score(r) >= 0.5
      return {
        testIdx: i,
        promptIdx: 0,
        prompt: { raw: inputs.get(r.sample) ?? "", label: "{{question}}" },
        provider: { id: `openai:chat:${r.organism}@${r.replicate}`, label: "" },
        response: { output: r.response },
        success: pass,
        score: pass ? 1 : 0,
        failureReason: pass ? 0 : 1,
        gradingResult: { pass, score: pass ? 1 : 0, reason: pass ? "All assertions passed" : "Assertion failed" },
        testCase: { vars: { question: inputs.get(r.sample) ?? "" }, metadata: { id: r.sample } },
        vars: { question: inputs.get(r.sample) ?? "" }
      }
    })
    const file = join(dir, `${evaluation}-results.json`)
    writeFileSync(file, JSON.stringify({ evalId: `eval-${evaluation}`, results: { version: 3, timestamp: "2026-01-01T00:00:00Z", prompts: [], results, stats: {} }, config: { description: evaluation } }))
    return file
  })
