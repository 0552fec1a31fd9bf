import { Effect, Schema } from "effect"
import { ResolvedAudit } from "../domain/audit.js"
import { canonicalJson } from "../domain/canonical-json.js"
import { sha256Hex } from "../stats/seeded-random.js"

export { canonicalJson } from "../domain/canonical-json.js"

/** The resolved audit as stored JSON (schema-encoded, so it decodes back exactly). */
export const encodeAudit = (audit: ResolvedAudit) => Schema.encode(ResolvedAudit)(audit).pipe(Effect.map(canonicalJson))

const answeringModels = (providers: ResolvedAudit["providers"]): ResolvedAudit["providers"] =>
  Object.fromEntries(
    Object.entries(providers).map(([id, { apiKeyEnv: _key, requestsPerMinute: _rpm, tokensPerMinute: _tpm, ...p }]) => [
      id,
      { ...p, concurrency: 1, timeoutMs: 1, maxRetries: 0, initialBackoffMs: 0, maxBackoffMs: 0 }
    ])
  )

/**
 * Identifies what is audited: evaluations with their samples, policy, organisms and check
 * and search settings. Seed, replicates, the gate, the harness mapping, the interval method and the file's location are recorded apart, not hashed.
 */
export const specHash = ({ gate: _, serve: _serve, harness: _harness, heldOut, ...audit }: ResolvedAudit) =>
  // The gate, the harness mapping and the interval method judge and report results without changing them:
  // tightening a gate or switching to Clopper-Pearson must not block a resume.
  // How `serve` words answers is not measured by `run` either.
  // Nor do a provider's limits, retries or key variable: only which endpoint and model answer.
  encodeAudit({
    ...audit,
    // The search's settings are hashed: phase 4 stores its result once, so a changed search must start a new run.
    // When organisms were sealed is a note.
    ...(heldOut === undefined ? {} : { heldOut: { salt: heldOut.salt, organisms: heldOut.organisms } }),
    seed: 0,
    replicates: 1,
    source: "",
    statistics: { interval: "wilson", confidence: 0.95 },
    providers: answeringModels(audit.providers)
  }).pipe(
    Effect.map((json) => `sha256:${sha256Hex(json).slice(0, 16)}`)
  )
