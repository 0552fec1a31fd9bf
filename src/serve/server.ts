import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Option, Schema } from "effect"
import { createServer } from "node:http"
import { isoNow } from "../audit/phases/1-open-run.js"
import { specHash } from "../audit/spec-hash.js"
import type { ResolvedAudit } from "../domain/audit.js"
import type { AnswerFormat } from "../domain/serve.js"
import { type ProviderEntry, Providers } from "../measure/providers.js"
import { sha256Hex } from "../stats/seeded-random.js"
import { AuditStore } from "../store/audit-store.js"
import { serveAudit, type ServedAudit } from "./answer-request.js"
import { serveApp } from "./http-app.js"
import { makeRecorder, type Recorder } from "./recorder.js"

/** The server could not listen (the port is taken, the address is not this machine's...). */
export class ListenError extends Schema.TaggedError<ListenError>()("ListenError", { message: Schema.String }) {}

export interface ServerOptions {
  readonly host: string
  /** 0 picks a free port. */
  readonly port: number
  readonly seed?: number | undefined
  readonly answerFormat?: AnswerFormat | undefined
}

export interface RunningServer {
  /** "http://127.0.0.1:4000": the base URL; clients append /v1/... */
  readonly url: string
  readonly sessionId: string
  readonly served: ServedAudit
  readonly recorder: Recorder
}

/** Loopback addresses: the only ones `serve` binds unless told otherwise. */
export const isLoopback = (host: string): boolean => host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)

const causeText = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/**
 * Serves the audit's organisms until the scope closes, recording every answered request in
 * the store under a new serve session. Closing the scope stops listening, writes what is
 * still queued and marks the session finished.
 */
export const startServer = (audit: ResolvedAudit, options: ServerOptions) =>
  Effect.gen(function* () {
    const served = serveAudit(audit, options)
    const store = yield* AuditStore
    const hash = yield* specHash(audit)
    const startedAt = yield* isoNow
    const sessionId = `serve-${startedAt.replace(/[-:]/g, "").replace(/\..*$/, "")}-${sha256Hex(`${hash}|${served.seed}|${startedAt}|${options.host}|${options.port}`).slice(0, 6)}`
    // Finalizers run last-added first: the server stops listening and lets requests in flight
    // finish, then the recorder writes what is queued, then the session is marked finished.
    yield* Effect.addFinalizer(() => isoNow.pipe(Effect.flatMap((now) => store.finishServeSession(sessionId, now)), Effect.ignore))
    const recorder = yield* makeRecorder(sessionId)
    const server = yield* NodeHttpServer.make(() => createServer(), { host: options.host, port: options.port }).pipe(
      Effect.mapError((e) => new ListenError({ message: `cannot listen on ${options.host}:${options.port}: ${causeText(e.cause)}` }))
    )
    const address = server.address
    const url = address._tag === "TcpAddress" ? `http://${address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname}:${address.port}` : address.path
    yield* store.createServeSession({
      id: sessionId,
      audit: audit.name,
      source: audit.source,
      specHash: hash,
      seed: served.seed,
      replicates: served.replicates,
      address: url,
      startedAt,
      finishedAt: null
    })
    // Real-model organisms are proxied through the audit's providers, when the caller provides them.
    const providers = Option.getOrElse(yield* Effect.serviceOption(Providers), () => new Map<string, ProviderEntry>())
    yield* server.serve(serveApp(served, recorder, providers))
    const running: RunningServer = { url, sessionId, served, recorder }
    return running
  })
