/**
 * The HTTP client layer for providers: Node's http/https with keep-alive, so a run of
 * thousands of calls reuses connections instead of paying a TCP (and TLS) handshake each.
 */
import type { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Layer } from "effect"

export const providerHttpClientLayer: Layer.Layer<HttpClient.HttpClient> = NodeHttpClient.layerWithoutAgent.pipe(
  Layer.provide(NodeHttpClient.makeAgentLayer({ keepAlive: true }))
)
