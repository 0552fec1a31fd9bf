/**
 * What a provider is, for caching and jitter: the wire format, the endpoint and the model.
 * The API key is deliberately not part of it (a cached answer does not depend on whose key
 * paid for it, and the key must never reach the cache).
 */
import { sha256Hex } from "../stats/seeded-random.js"
import type { ChatRequest } from "../domain/chat.js"

import { ProviderKind } from "../domain/provider-settings.js"
export { ProviderKind }

export interface ProviderIdentity {
  readonly kind: ProviderKind
  /** Without trailing slashes, so `http://h/v1` and `http://h/v1/` are one provider. */
  readonly baseUrl: string
  readonly model: string
}

export const normalizeBaseUrl = (baseUrl: string): string => baseUrl.replace(/\/+$/, "")

export const providerIdentity = (settings: ProviderIdentity): ProviderIdentity => ({
  kind: settings.kind,
  baseUrl: normalizeBaseUrl(settings.baseUrl),
  model: settings.model
})

/** `kind:model@baseUrl`: a readable name for logs and error messages. */
export const providerId = (identity: ProviderIdentity): string =>
  `${identity.kind}:${identity.model}@${normalizeBaseUrl(identity.baseUrl)}`

/**
 * The text the cache key hashes: canonical JSON (keys sorted, as `canonicalJson` writes them)
 * of the provider's identity and the request's fields, with its default temperature filled
 * in. Built field by field rather than through `canonicalJson` because it runs on every call
 * (a test checks the two agree); stray properties of a request object are left out.
 */
export const requestKeyText = (identity: ProviderIdentity, request: ChatRequest): string =>
  JSON.stringify({
    baseUrl: normalizeBaseUrl(identity.baseUrl),
    kind: identity.kind,
    model: identity.model,
    request: {
      maxTokens: request.maxTokens,
      messages: request.messages.map((m) => ({ content: m.content, role: m.role })),
      model: request.model,
      ...(request.system === undefined ? {} : { system: request.system }),
      temperature: request.temperature
    }
  })

/** The cache key of a request to a provider: sha256 hex of `requestKeyText`. The API key is not in it. */
export const requestKey = (identity: ProviderIdentity, request: ChatRequest): string =>
  sha256Hex(requestKeyText(identity, request))
