/**
 * The response cache: answers keyed by `requestKey` (provider kind, base URL, model and the
 * canonical request; never the API key). The store is a service so the CLI can keep answers
 * in the audit's SQLite file while tests use memory.
 */
import { Context, Effect, Either, Layer, Option, Schema } from "effect"
import { type ChatProvider, type ChatRequest, ChatResponse, ProviderError } from "../domain/chat.js"
import { type ProviderIdentity, requestKey } from "./identity.js"
import { makeInFlight } from "./in-flight.js"

export interface ResponseCacheShape {
  readonly get: (key: string) => Effect.Effect<Option.Option<ChatResponse>>
  readonly put: (key: string, response: ChatResponse) => Effect.Effect<void>
}

/** How a cached provider uses the cache. */
export const CacheMode = Schema.Literal(
  "use", // read, and store what the network answers on a miss
  "refresh", // `--no-cache`: always ask the network, store the fresh answer
  "only" // cache-only, for reproducing a memo offline: a miss is `CacheMiss`, never a request
)
export type CacheMode = typeof CacheMode.Type

/** A cached response as stored text (JSON of the encoded `ChatResponse`). */
export const ChatResponseJson = Schema.parseJson(ChatResponse)
const encodeEntry = Schema.encodeSync(ChatResponseJson)
const decodeEntry = Schema.decodeEither(ChatResponseJson)

export class ResponseCache extends Context.Tag("evalaudit/ResponseCache")<ResponseCache, ResponseCacheShape>() {
  /**
   * Entries kept as JSON text in `entries` (pass your own map to inspect them). An entry
   * that no longer decodes counts as a miss, as it would in a persistent store.
   */
  static readonly memory = (entries: Map<string, string> = new Map()): Layer.Layer<ResponseCache> =>
    Layer.succeed(ResponseCache, {
      get: (key) =>
        Effect.sync(() => {
          const text = entries.get(key)
          return text === undefined ? Option.none() : Either.getRight(decodeEntry(text))
        }),
      put: (key, response) =>
        Effect.sync(() => {
          entries.set(key, encodeEntry(response))
        })
    })
}

/**
 * `provider` behind the cache in `mode`; cache hits skip the network and every limit. While a
 * request is in flight, an identical one (same cache key) shares its answer: one HTTP call.
 */
export const withCache = (
  provider: ChatProvider,
  identity: ProviderIdentity,
  mode: CacheMode
): Effect.Effect<ChatProvider, never, ResponseCache> =>
  Effect.gen(function* () {
    const cache = yield* ResponseCache
    const inFlight = makeInFlight<ChatResponse, ProviderError>()
    const fetchAndStore = (key: string, request: ChatRequest) =>
      provider.complete(request).pipe(Effect.tap((response) => cache.put(key, response)))

    const lookup = (key: string, request: ChatRequest): Effect.Effect<ChatResponse, ProviderError> => {
      switch (mode) {
        case "refresh":
          return fetchAndStore(key, request)
        case "use":
          return cache
            .get(key)
            .pipe(Effect.flatMap(Option.match({ onNone: () => fetchAndStore(key, request), onSome: Effect.succeed })))
        case "only":
          return cache.get(key).pipe(
            Effect.flatMap(
              Option.match({
                onNone: () =>
                  new ProviderError({
                    reason: "CacheMiss",
                    attempts: 0,
                    message: `${provider.id}: no cached response for request ${key.slice(0, 16)} (cache-only mode)`
                  }),
                onSome: Effect.succeed
              })
            )
          )
      }
    }

    const complete = (request: ChatRequest): Effect.Effect<ChatResponse, ProviderError> => {
      const key = requestKey(identity, request)
      return inFlight(key, lookup(key, request))
    }

    return { id: provider.id, complete }
  })
