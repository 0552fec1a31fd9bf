import { canonicalJson } from "../audit/spec-hash.js"
import type { ResolvedAudit } from "../domain/audit.js"
import { sha256Hex } from "../stats/seeded-random.js"

export type DefinitionKind =
  | "evaluation"
  | "trigger"
  | "organism"
  | "prompted organism"
  | "provider"
  | "sweep"
  | "comparison"
  | "series"
  | "search"
  | "held-out organism"

/** One evaluation, trigger or organism whose stored definition differs between two runs. */
export interface DefinitionChange {
  readonly kind: DefinitionKind
  readonly id: string
  readonly change: "added" | "removed" | "changed"
  /** Top-level fields that differ, for `changed`: "dataset (60 -> 5 samples)", "decision". */
  readonly fields: ReadonlyArray<string>
  /** `sha256:` + 16 hex digits of the canonical JSON of the definition, when the run has it. */
  readonly before: string | null
  readonly after: string | null
}

/** Hash of a definition as stored: canonical JSON, so key order and absent optional fields do not matter. */
export const definitionHash = (definition: unknown): string => `sha256:${sha256Hex(canonicalJson(definition)).slice(0, 16)}`

type Definition = { readonly id: string } & Readonly<Record<string, unknown>>

const samplesOf = (value: unknown): number | undefined =>
  typeof value === "object" && value !== null && "samples" in value && Array.isArray(value.samples) ? value.samples.length : undefined

const changedFields = (a: Definition, b: Definition): ReadonlyArray<string> =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((key) => canonicalJson(a[key]) !== canonicalJson(b[key]))
    .sort()
    .map((key) => {
      const before = samplesOf(a[key])
      const after = samplesOf(b[key])
      // A dataset's size is what most often changes, and it moves every interval: say so.
      return key === "dataset" && before !== undefined && after !== undefined && before !== after ? `dataset (${before} -> ${after} samples)` : key
    })

/** Definitions added, removed or changed, in the order of run A then the additions of run B. */
const compare = (kind: DefinitionKind, a: ReadonlyArray<Definition>, b: ReadonlyArray<Definition>): Array<DefinitionChange> => {
  const inB = new Map(b.map((d) => [d.id, d]))
  const inA = new Set(a.map((d) => d.id))
  const changes: Array<DefinitionChange> = []
  for (const before of a) {
    const after = inB.get(before.id)
    if (after === undefined) {
      changes.push({ kind, id: before.id, change: "removed", fields: [], before: definitionHash(before), after: null })
      continue
    }
    const hashes = { before: definitionHash(before), after: definitionHash(after) }
    if (hashes.before !== hashes.after) changes.push({ kind, id: before.id, change: "changed", fields: changedFields(before, after), ...hashes })
  }
  for (const after of b) {
    if (!inA.has(after.id)) changes.push({ kind, id: after.id, change: "added", fields: [], before: null, after: definitionHash(after) })
  }
  return changes
}

const providersOf = (audit: ResolvedAudit) => Object.entries(audit.providers).map(([id, settings]) => ({ ...settings, id }))

/** Every definition whose stored form differs, by the hash of each: evaluations, triggers, organisms, providers, sweeps, comparisons. */
export const definitionChanges = (a: ResolvedAudit, b: ResolvedAudit): ReadonlyArray<DefinitionChange> => [
  ...compare("evaluation", a.evaluations, b.evaluations),
  ...compare("trigger", a.policy?.triggers ?? [], b.policy?.triggers ?? []),
  ...compare("organism", a.organisms, b.organisms),
  ...compare("prompted organism", a.promptedOrganisms, b.promptedOrganisms),
  ...compare("provider", providersOf(a), providersOf(b)),
  ...compare("sweep", a.sweeps, b.sweeps),
  ...compare("comparison", a.comparisons, b.comparisons),
  ...compare("series", a.series, b.series),
  ...compare("search", a.search === undefined ? [] : [{ id: "search", ...a.search }], b.search === undefined ? [] : [{ id: "search", ...b.search }]),
  // By id only: a hash of a sealed organism's definition would let a guess be confirmed.
  ...compare("held-out organism", heldOutIds(a), heldOutIds(b))
]

const heldOutIds = (audit: ResolvedAudit) => (audit.heldOut?.organisms ?? []).map((o) => ({ id: o.id }))
