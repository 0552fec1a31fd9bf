import { Effect, Exit, Layer, Scope } from "effect"
import type { ResolvedAudit } from "../../src/domain/audit.js"
import { type RunningServer, type ServerOptions, startServer } from "../../src/serve/server.js"
import { layerSqlite } from "../../src/store/audit-store.js"

export interface TestServer {
  readonly running: RunningServer
  /** Stops the server, drains the recorder and closes the store. */
  readonly stop: () => Promise<void>
}

/** `evalaudit serve` in-process on a free loopback port, its store in `db`, kept running until `stop`. */
export const startTestServer = async (audit: ResolvedAudit, db: string, options: Partial<ServerOptions> = {}): Promise<TestServer> => {
  const scope = Effect.runSync(Scope.make())
  const store = await Effect.runPromise(Layer.buildWithScope(layerSqlite(db), scope))
  const running = await Effect.runPromise(
    startServer(audit, { host: "127.0.0.1", port: 0, ...options }).pipe(Effect.provide(store), Scope.extend(scope))
  )
  return { running, stop: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}
