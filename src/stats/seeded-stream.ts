/**
 * A fast seeded stream of uniforms for Monte Carlo checks of the statistics (coverage,
 * sequential error rates): xoshiro128** (Blackman and Vigna) whose 128-bit state is the first
 * 128 bits of SHA-256 of a label. One hash per stream, then a few integer operations per draw,
 * where `drawFor` hashes per draw. Use it for simulations whose draws need no identity of
 * their own; audit cells keep `drawFor`, whose draws are keyed so that order never matters.
 */
import { sha256Hex } from "./seeded-random.js"

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k))

/**
 * A stream of uniforms in [0, 1) with 53 random bits each, a pure function of `label`.
 *
 * @example const u = seededStream("coverage/n=50"); u(); u()
 */
export const seededStream = (label: string): (() => number) => {
  const hex = sha256Hex(label)
  const word = (i: number): number => Number.parseInt(hex.slice(8 * i, 8 * i + 8), 16) | 0
  let s0 = word(0)
  let s1 = word(1)
  let s2 = word(2)
  let s3 = word(3)
  // The all-zero state is xoshiro's one fixed point; SHA-256 gives it with probability 2^-128.
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1
  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
    const t = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 11)
    return result
  }
  return () => ((next32() >>> 11) * 4294967296 + next32()) / 9007199254740992
}
