/**
 * Deterministic randomness (DESIGN.md section 5): every draw is a hash of the audit seed,
 * the organism, the evaluation, the sample, the epoch, the replicate and the draw's name.
 * Results therefore do not depend on concurrency, order, resumption or sharding.
 *
 * The key is hashed once with SHA-256 (keys differ only in a trailing sample number, which
 * fast string hashes mix poorly); each named draw then mixes that digest with the name's
 * hash through murmur3's finaliser, which is cheap and avalanches fully.
 */
import * as crypto from "node:crypto"

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
const fmix32 = (input: number): number => {
  let h = input
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** FNV-1a over UTF-16 code units, finalised: a 32-bit hash of a short name. */
const hashName = (name: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193)
  return fmix32(h)
}

export interface DrawKey {
  readonly seed: number
  readonly organism: string
  readonly evaluation: string
  readonly sample: string
  readonly epoch: number
  readonly replicate: number
}

/** A named uniform draw in [0, 1): the same name under the same key gives the same number. */
export type Draw = (name: string) => number

const TWO_32 = 4294967296
const TWO_53 = 2 ** 53

// The one-shot `crypto.hash` (Node 20.12 and later) gives the same digest as a Hash object
// at a third of the cost; a draw key is hashed once per sample, so it shows in a run's time.
// (A namespace import, so that an older Node without it still loads this module.)
const sha256 =
  typeof crypto.hash === "function"
    ? (text: string): Buffer => crypto.hash("sha256", text, "buffer")
    : (text: string): Buffer => crypto.createHash("sha256").update(text).digest()

/** Hex digest of a text, for ids and checks that need a stable short hash. */
export const sha256Hex = (text: string): string => sha256(text).toString("hex")

export const drawFor = (key: DrawKey): Draw => {
  const digest = sha256(`${key.seed}\u0000${key.organism}\u0000${key.evaluation}\u0000${key.sample}\u0000${key.epoch}\u0000${key.replicate}`)
  const a = digest.readUInt32LE(0)
  const b = digest.readUInt32LE(4)
  return (name) => {
    const n = hashName(name)
    const high = fmix32(a ^ n) & 0x1fffff // 21 bits
    const low = fmix32(b ^ Math.imul(n, 0x9e3779b1) ^ high) // 32 bits
    return (high * TWO_32 + low) / TWO_53
  }
}
