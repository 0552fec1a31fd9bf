/**
 * Load test of `evalaudit serve` on loopback: the bundled CLI serves the example audit in a
 * child process (its own event loop, as a harness would see it) while 64 clients send 20,000
 * requests in all: Inspect-style multiple-choice prompts and the audit's other items, over
 * both protocols, a quarter streamed, one in twenty matching no item. Every distinct request
 * is sent twice, by different clients at different times; the two answers must agree. Then
 * the server is stopped (SIGTERM) and the store must hold every request. Prints requests/s
 * and p50/p99 latency; exits 1 on any error or disagreement. Bounded: it stops by itself.
 *
 * Usage: npm run build:cli && npx --no-install tsx bench/serve.ts [--requests 20000] [--clients 64]
 */
import Database from "better-sqlite3"
import { Effect, Schema } from "effect"
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { parseArgs } from "node:util"
import { NodeContext } from "@effect/platform-node"
import { loadAudit } from "../src/audit/load-audit.js"

const { values } = parseArgs({ options: { requests: { type: "string", default: "20000" }, clients: { type: "string", default: "64" } } })
const total = Number(values.requests)
const clients = Number(values.clients)
const root = join(import.meta.dirname, "..")
const auditFile = join(root, "audits", "example.audit.ts")

interface Planned {
  readonly api: "openai" | "anthropic"
  readonly stream: boolean
  readonly body: string
}

const audit = await Effect.runPromise(loadAudit(auditFile).pipe(Effect.provide(NodeContext.layer)))
const models = audit.organisms.flatMap((o) => Array.from({ length: audit.replicates }, (_, r) => `${o.id}@${r}`))
const items = audit.evaluations.flatMap((e) => e.dataset.samples.map((s) => ({ evaluation: e.id, sample: s })))

/** Request i of the distinct half; its repeat is sent later by another client. */
const plan = (i: number): Planned => {
  const item = items[(i * 7919) % items.length]
  const model = models[(i * 31) % models.length] ?? "capable-aligned"
  const options = item?.sample.choices?.map((c, k) => `${String.fromCharCode(65 + k)}) ${c}`).join("\n") ?? ""
  const question = i % 20 === 19 ? `Unrelated request ${i}: what is the weather like?` : `${item?.sample.input ?? ""}\n\n${options}`
  const content = `Answer the following multiple choice question. The entire content of your response should be of the following format: 'ANSWER: $LETTER' (without quotes).\n\n${question}`
  const api = i % 2 === 0 ? "openai" : "anthropic"
  const stream = i % 4 === 1 || i % 4 === 2
  const body =
    api === "openai"
      ? JSON.stringify({ model, stream, ...(stream ? { stream_options: { include_usage: true } } : {}), messages: [{ role: "user", content }] })
      : JSON.stringify({ model, max_tokens: 64, stream, messages: [{ role: "user", content }] })
  return { api, stream, body }
}

const Whole = Schema.Struct({
  choices: Schema.optional(Schema.Array(Schema.Struct({ message: Schema.Struct({ content: Schema.String }) }))),
  content: Schema.optional(Schema.Array(Schema.Struct({ text: Schema.String })))
})
const Chunk = Schema.Struct({
  choices: Schema.optional(Schema.Array(Schema.Struct({ delta: Schema.Struct({ content: Schema.optional(Schema.String) }) }))),
  delta: Schema.optional(Schema.Struct({ text: Schema.optional(Schema.String) }))
})
const whole = Schema.decodeUnknownSync(Schema.parseJson(Whole))
const chunk = Schema.decodeUnknownSync(Schema.parseJson(Chunk))

/** The answer text from a whole or streamed response of either protocol. */
const answerOf = (planned: Planned, text: string): string => {
  if (!planned.stream) {
    const body = whole(text)
    return planned.api === "openai" ? (body.choices?.[0]?.message.content ?? "") : (body.content?.[0]?.text ?? "")
  }
  let out = ""
  for (const line of text.split("\n")) {
    if (!line.startsWith("data: ") || line === "data: [DONE]") continue
    const event = chunk(line.slice(6))
    out += planned.api === "openai" ? (event.choices?.[0]?.delta.content ?? "") : (event.delta?.text ?? "")
  }
  return out
}

const dir = mkdtempSync(join(tmpdir(), "evalaudit-bench-serve-"))
const db = join(dir, "serve.db")
const child = spawn(process.execPath, [join(root, "bin", "evalaudit.js"), "serve", auditFile, "--port", "0", "--db", db, "--answer-format", "inspect-multiple-choice"], {
  stdio: ["ignore", "pipe", "inherit"]
})
const url = await new Promise<string>((resolve, reject) => {
  let out = ""
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString()
    if (out.includes("\n")) resolve(out.split("\n")[0] ?? "")
  })
  child.once("exit", (code) => reject(new Error(`serve exited with ${code}`)))
})

const distinct = Math.ceil(total / 2)
// Sends 0..distinct-1, then the same requests again in reverse order: every repeat comes from a different client, later.
const order = Array.from({ length: total }, (_, k) => (k < distinct ? k : total - 1 - k))
const first = new Map<number, string>()
const latencies: Array<number> = []
let errors = 0
let disagreements = 0
let next = 0

const client = async (): Promise<void> => {
  while (next < order.length) {
    const i = order[next++] ?? 0
    const planned = plan(i)
    const started = performance.now()
    try {
      const response = await fetch(`${url}${planned.api === "openai" ? "/v1/chat/completions" : "/v1/messages"}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: planned.body
      })
      const text = await response.text()
      latencies.push(performance.now() - started)
      if (response.status !== 200) {
        errors++
        continue
      }
      const answer = answerOf(planned, text)
      const seen = first.get(i)
      if (seen === undefined) first.set(i, answer)
      else if (seen !== answer) disagreements++
    } catch {
      errors++
    }
  }
}

const started = performance.now()
await Promise.all(Array.from({ length: clients }, client))
const seconds = (performance.now() - started) / 1000
const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
child.kill("SIGTERM")
await exited

const sorted = [...latencies].sort((a, b) => a - b)
const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
const store = new Database(db, { readonly: true })
const recorded = Number(store.prepare("SELECT count(*) FROM served_requests").pluck().get())
const unrecognised = Number(store.prepare("SELECT count(*) FROM served_requests WHERE evaluation IS NULL").pluck().get())
store.close()

console.log(`evalaudit serve, ${total} requests from ${clients} concurrent clients on loopback (${items.length} items, ${models.length} models)`)
console.log(`  ${(total / seconds).toFixed(0)} requests/s over ${seconds.toFixed(1)} s; latency p50 ${quantile(0.5).toFixed(1)} ms, p99 ${quantile(0.99).toFixed(1)} ms`)
console.log(`  errors ${errors}; repeated requests answered differently ${disagreements} of ${total - distinct}`)
console.log(`  recorded in the store: ${recorded} (${unrecognised} unrecognised)`)
if (errors > 0 || disagreements > 0 || recorded !== total) process.exit(1)
