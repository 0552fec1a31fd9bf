/**
 * Deterministic randomness (DESIGN.md section 5): every draw is a hash of the audit seed,
 * the organism, the evaluation, the sample, the epoch, the replicate and the draw's name.
 * Results therefore do not depend on concurrency, order, resumption or sharding.
 */

/** cyrb53: a fast 53-bit string hash with good avalanche (public domain, bryc). */
export const hash53 = (text: string, seed = 0): number => {
  let h1 = 0xdeadbeef ^ seed
  let h2 = 0x41c6ce57 ^ seed
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507)
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507)
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

const TWO_53 = 2 ** 53

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

export const drawFor = (key: DrawKey): Draw => {
  const prefix = `${key.seed}\u0000${key.organism}\u0000${key.evaluation}\u0000${key.sample}\u0000${key.epoch}\u0000${key.replicate}\u0000`
  return (name) => hash53(prefix + name) / TWO_53
}
