/**
 * Provider throughput against the fake server (tests/support/fake-provider.ts) answering
 * after 100 ms: 2,000 distinct calls at concurrency 64 through the full stack (resilience,
 * HTTP, wire format, response cache in "use" mode), then the same 2,000 again, warm from the
 * cache. Prints wall time, efficiency = ideal / actual with ideal = ceil(calls / concurrency)
 * x latency (target >= 0.9), and the warm speed-up (target >= 20x). Prints, never asserts.
 *
 * The network pass runs twice on different questions: first in a fresh process (it pays for
 * JIT compilation and opening 64 connections, about one extra latency), then again once
 * warm, which is the steady state a long audit sees. Both are printed.
 *
 * The server runs in a child process (this same file with --serve), as a real provider runs
 * elsewhere: sharing one event loop with it would bill its parsing and JSON to the client.
 * Last, a whole audit whose one prompted organism answers a 1,000-sample evaluation
 * (`--cell-samples`) through the same server: the samples of its cell in flight together up
 * to the provider's concurrency, against an ideal of samples x latency / concurrency.
 *
 * Usage: npx --no-install tsx bench/provider.ts [--calls 2000] [--concurrency 64] [--latency 100] [--cell-samples 1000]
 */
import { Effect, Layer, Schema } from "effect"
import { performance } from "node:perf_hooks"
import { parseArgs } from "node:util"
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import { resolveInlineAudit } from "../src/audit/inline-audit.js"
import { Progress } from "../src/audit/progress.js"
import { runAudit } from "../src/audit/run-audit.js"
import { providersLayer, responseCacheFromStore } from "../src/measure/providers.js"
import { ResponseCache } from "../src/providers/cache.js"
import { layerSqlite } from "../src/store/audit-store.js"
import type { ChatProvider, ChatRequest } from "../src/domain/chat.js"
import type { ProviderSettings } from "../src/domain/provider-settings.js"
import { providerHttpClientLayer } from "../src/providers/http-layer.js"
import { makeCachedProvider } from "../src/providers/settings.js"
import { ask, settingsFor, start } from "../tests/support/fake-provider.js"

const ServerStats = Schema.Struct({ requests: Schema.Number, maxInFlight: Schema.Number, connections: Schema.Number })
type ServerStats = typeof ServerStats.Type

/** Milliseconds of CPU (user + system) this process has used since `before`. */
const cpuMs = (before: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(before)
  return (used.user + used.system) / 1000
}

/** Server side: serve until the parent asks for the figures, send them and exit. */
const serve = async (latencyMs: number): Promise<void> => {
  const server = await start({ latencyMs })
  process.send?.(server.url)
  process.once("message", () => {
    const stats: ServerStats = {
      requests: server.requests.length,
      maxInFlight: server.maxInFlight(),
      connections: server.connections()
    }
    void server.close().then(() => process.send?.(stats, () => process.exit(0)))
  })
}

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      calls: { type: "string", default: "2000" },
      concurrency: { type: "string", default: "64" },
      latency: { type: "string", default: "100" },
      "cell-samples": { type: "string", default: "1000" }
    }
  })
  const calls = Number(values.calls)
  const concurrency = Number(values.concurrency)
  const latencyMs = Number(values.latency)
  const questions = (set: string) =>
    Array.from({ length: calls }, (_, i) => ask(`bench ${set} question ${i}: is the model sandbagging?`))

  const child = fork(fileURLToPath(import.meta.url), ["--serve", String(latencyMs)], { execArgv: ["--import", "tsx"] })
  const next = () => new Promise<unknown>((resolve) => child.once("message", resolve))
  const url = String(await next())

  /** Runs every request, returning wall milliseconds and the number that failed. */
  const pass = (provider: ChatProvider, requests: ReadonlyArray<ChatRequest>) =>
    Effect.gen(function* () {
      const began = performance.now()
      const cpuBefore = process.cpuUsage()
      const results = yield* Effect.forEach(requests, (r) => Effect.either(provider.complete(r)), { concurrency })
      return { ms: performance.now() - began, cpuMs: cpuMs(cpuBefore), failed: results.filter((r) => r._tag === "Left").length }
    })

  // the fake server asks for no key
  const { apiKeyEnv: _, ...settings } = settingsFor({ url }, "openai-compatible", { concurrency })
  const { fresh, network, cached } = await Effect.runPromise(
    Effect.gen(function* () {
      const provider = yield* makeCachedProvider(settings, "use")
      const fresh = yield* pass(provider, questions("a"))
      const network = yield* pass(provider, questions("b"))
      const cached = yield* pass(provider, questions("b"))
      return { fresh, network, cached }
    }).pipe(Effect.provide(Layer.merge(providerHttpClientLayer, ResponseCache.memory())))
  )
  const cellSamples = Number(values["cell-samples"])
  const cells = [await Effect.runPromise(promptedCell(settings, cellSamples, "a")), await Effect.runPromise(promptedCell(settings, cellSamples, "b"))]
  child.send("stats")
  const stats = Schema.decodeUnknownSync(ServerStats)(await next())

  const ideal = Math.ceil(calls / concurrency) * latencyMs
  const f = (ms: number) => `${ms.toFixed(0)} ms`
  console.log(`${calls} calls, concurrency ${concurrency}, server latency ${latencyMs} ms (${settings.kind}, server in a child process)`)
  const line = (name: string, run: { ms: number; cpuMs: number; failed: number }) =>
    `${name}: ${f(run.ms)} wall, ideal ${f(ideal)}, efficiency ${(ideal / run.ms).toFixed(3)} (target >= 0.9), client CPU ${f(run.cpuMs)}, failed ${run.failed}`
  console.log(line("network, fresh process", fresh))
  console.log(line("network, warm process ", network))
  console.log(`server: ${stats.requests} requests, at most ${stats.maxInFlight} in flight, ${stats.connections} connections`)
  console.log(
    `cache:  ${f(cached.ms)} wall for the second pass's 2,000 again, speed-up ${(network.ms / cached.ms).toFixed(1)}x (target >= 20x), failed ${cached.failed}`
  )
  const cellIdeal = (cellSamples * latencyMs) / concurrency
  cells.forEach((cell, i) =>
    console.log(
      `prompted cell, ${i === 0 ? "first run " : "second run"}: ${cellSamples} samples, ideal ${cellSamples} x ${latencyMs} ms / ${concurrency} = ${f(cellIdeal)}; ` +
        `measuring ${f(cell.measureMs)} (ratio ${(cell.measureMs / cellIdeal).toFixed(3)}, target <= 1.15), whole run ${f(cell.ms)} (ratio ${(cell.ms / cellIdeal).toFixed(3)}), ` +
        `client CPU ${f(cell.cpuMs)}, errored cells ${cell.errors}, complete ${cell.complete}`
    )
  )
}

/**
 * A whole run (store in memory) of an audit with one prompted organism over `samples` distinct
 * questions in one replicate, plus the simulated control every audit needs: wall time of
 * `runAudit`, which includes opening the run, measuring, deriving and summarizing.
 */
const promptedCell = (provider: ProviderSettings, samples: number, set: string) =>
  Effect.gen(function* () {
    const audit = yield* resolveInlineAudit(
      {
        name: "prompted-cell-bench",
        replicates: 1,
        providers: { fake: provider },
        evaluations: [
          {
            id: "requests",
            measures: { kind: "propensity", behaviour: "power-seeking" },
            dataset: {
              samples: Array.from({ length: samples }, (_, i) => ({ id: `r${i}`, input: `cell ${set} request ${i}: Yes or No?`, matchingBehavior: "Yes", notMatchingBehavior: "No" }))
            },
            grader: { type: "behaviour-match" },
            decision: { rule: "point", threshold: 0.2 }
          }
        ],
        organisms: [{ archetype: "capable-aligned" }],
        promptedOrganisms: [{ id: "prompted-control", provider: "fake", archetype: "aligned-control" }],
        graderBattery: { numRuns: 0 }
      },
      "bench/provider.ts"
    )
    // Phase 3 (measuring the cells) starts and finishes the progress display: timed apart from the whole run.
    const measured = { from: 0, to: 0 }
    const timing = Layer.succeed(Progress, {
      opened: () => Effect.void,
      start: () => Effect.sync(() => void (measured.from = performance.now())),
      advance: () => Effect.void,
      finish: () => Effect.sync(() => void (measured.to = performance.now()))
    })
    const began = performance.now()
    const cpuBefore = process.cpuUsage()
    const report = yield* runAudit(audit, { concurrency: 8, command: "bench" }).pipe(
      Effect.provide(
        providersLayer(audit.providers, "use").pipe(
          Layer.provide(responseCacheFromStore),
          Layer.provide(providerHttpClientLayer),
          Layer.provideMerge(layerSqlite(":memory:"))
        )
      ),
      Effect.provide(timing)
    )
    const errors = report.summary.evaluations.reduce((n, e) => n + e.errors, 0)
    return { ms: performance.now() - began, measureMs: measured.to - measured.from, cpuMs: cpuMs(cpuBefore), errors, complete: report.summary.complete }
  })

const serveArg = process.argv.indexOf("--serve")
if (serveArg >= 0) await serve(Number(process.argv[serveArg + 1]))
else await main()
