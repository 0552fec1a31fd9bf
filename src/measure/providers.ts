import type { HttpClient } from "@effect/platform"
import { Config, Context, Effect, Either, Layer, Option, Schema } from "effect"
import { type CacheMode, ChatResponseJson, ResponseCache } from "../providers/cache.js"
import { type ChatProvider, type ChatRequest, type ChatResponse, ProviderError } from "../domain/chat.js"
import { makeCachedProvider, type ProviderSettings } from "../providers/settings.js"
import { AuditStore } from "../store/audit-store.js"
import { RunError } from "../domain/run-error.js"

/** A provider ready to call, with the model its settings name. */
export interface ProviderEntry {
  readonly provider: ChatProvider
  readonly model: string
}

/** The audit's providers by id, built once per run so their limits are shared by every cell. */
export class Providers extends Context.Tag("evalaudit/Providers")<Providers, ReadonlyMap<string, ProviderEntry>>() {
  /** No providers: audits of simulated organisms with built-in graders. */
  static readonly none: Layer.Layer<Providers> = Layer.succeed(Providers, new Map())
}

// The only configuration a provider reads is its key; the error names the variable, never a value.
const missingKey = (id: string, s: ProviderSettings) =>
  new RunError({ reason: "Config", message: `provider ${id}: environment variable ${s.apiKeyEnv ?? "(none)"} (apiKeyEnv) is not set` })

/**
 * Fails, naming the variable, when a provider's key is not in the environment: checked
 * before the store is opened, so bad configuration writes nothing. Cache-only runs need no key.
 */
export const checkProviderKeys = (settings: Readonly<Record<string, ProviderSettings>>, mode: CacheMode): Effect.Effect<void, RunError> =>
  mode === "only"
    ? Effect.void
    : Effect.forEach(
      Object.entries(settings),
      ([id, s]) => (s.apiKeyEnv === undefined ? Effect.void : Config.redacted(s.apiKeyEnv).pipe(Effect.asVoid, Effect.mapError(() => missingKey(id, s)))),
      { discard: true }
    )

/**
 * Builds every provider of the audit behind the response cache in `mode`. A missing API key
 * variable is bad input (the message names the variable, never a value).
 */
export const providersLayer = (
  settings: Readonly<Record<string, ProviderSettings>>,
  mode: CacheMode
): Layer.Layer<Providers, RunError, HttpClient.HttpClient | ResponseCache> =>
  Layer.effect(
    Providers,
    Effect.gen(function* () {
      const entries = new Map<string, ProviderEntry>()
      for (const [id, s] of Object.entries(settings)) {
        const provider = yield* makeCachedProvider(s, mode).pipe(
          Effect.mapError(() => missingKey(id, s))
        )
        entries.set(id, { provider, model: s.model })
      }
      return entries
    })
  )

const encodeEntry = Schema.encodeSync(ChatResponseJson)
const decodeEntry = Schema.decodeEither(ChatResponseJson)

/**
 * The response cache kept in the audit's SQLite file, so reruns and resumed runs answer from
 * it. A store failure counts as a miss on read and is dropped on write: the cache may lose
 * an entry, never a result.
 */
export const responseCacheFromStore: Layer.Layer<ResponseCache, never, AuditStore> = Layer.effect(
  ResponseCache,
  Effect.map(AuditStore, (store) => ({
    get: (key) =>
      store.cacheGet(key).pipe(
        Effect.map(Option.flatMap((text) => Either.getRight(decodeEntry(text)))),
        Effect.orElseSucceed(() => Option.none())
      ),
    put: (key, response) => store.cachePut(key, encodeEntry(response)).pipe(Effect.ignore)
  }))
)

/**
 * The one way a respondent or a grader reaches a model: provider `id` of the run, with its
 * model. Every provider in `Providers` was built by `makeCachedProvider`, which puts the
 * cross-cutting behaviour (response cache, then rate and concurrency limits, timeout and
 * retries) around the HTTP provider in one place; respondents and graders never see an
 * undecorated provider, so none of them repeats it.
 */
export const complete = (id: string, request: Omit<ChatRequest, "model">): Effect.Effect<ChatResponse, ProviderError, Providers> =>
  Effect.flatMap(Providers, (providers) => {
    const entry = providers.get(id)
    return entry === undefined
      ? Effect.fail(new ProviderError({ reason: "BadRequest", attempts: 0, message: `no provider "${id}" in this run` }))
      : entry.provider.complete({ model: entry.model, ...request })
  })
