import type { SubsetTaken } from "../../domain/dataset.js"
import type { Sample } from "../../domain/sample.js"
import { sha256Hex } from "../../stats/seeded-random.js"
import { emptyRecord, own } from "../../domain/records.js"

export interface SubsetRequest {
  readonly limit: number
  readonly stratifyBy?: string | undefined
  /** The audit seed: with the same seed the same samples are taken wherever a dataset is read (every evaluation over it, `evalaudit import`), so variants compare on equal samples. */
  readonly seed: number
}

interface Kept {
  readonly key: number
  readonly order: number
  readonly sample: Sample
}

/** Ranks samples by a hash of (seed, sample id): the order depends neither on the file's order nor on how its path is spelt. */
const rankKey = (request: SubsetRequest, id: string): number =>
  Number.parseInt(sha256Hex(`${request.seed}\u0000subset\u0000${id}`).slice(0, 13), 16)

const byKey = (a: Kept, b: Kept): number => a.key - b.key || a.order - b.order

/**
 * Keeps the `capacity` entries with the smallest keys: entries collect up to twice the
 * capacity, then are sorted and cut back (amortised O(log k) per entry, memory <= 2k).
 */
class BottomK {
  private kept: Array<Kept> = []
  available = 0
  constructor(private readonly capacity: number) {}

  offer(entry: Kept): void {
    this.available++
    this.kept.push(entry)
    if (this.kept.length >= 2 * this.capacity) this.kept = this.sorted()
  }

  /** The kept entries, smallest key first. */
  sorted(): Array<Kept> {
    return this.kept.sort(byKey).slice(0, this.capacity)
  }
}

/** Splits `limit` over strata in proportion to their sizes (largest remainders get the rest). */
export const allocate = (limit: number, sizes: ReadonlyMap<string, number>): Map<string, number> => {
  const total = [...sizes.values()].reduce((s, n) => s + n, 0)
  const quotas = new Map<string, number>()
  if (total <= limit) return new Map(sizes)
  const remainders: Array<[string, number]> = []
  let given = 0
  for (const [stratum, size] of sizes) {
    const exact = (limit * size) / total
    const floor = Math.floor(exact)
    quotas.set(stratum, floor)
    given += floor
    remainders.push([stratum, exact - floor])
  }
  remainders.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
  for (const [stratum] of remainders.slice(0, limit - given)) quotas.set(stratum, (quotas.get(stratum) ?? 0) + 1)
  return quotas
}

const MISSING = "(missing)"

/** Strata beyond this mean the field is not categorical (an id, a score): memory would grow with the file. */
export const MAX_STRATA = 1000

/**
 * Takes a seeded subset of a stream of samples without holding the stream: per stratum
 * only the `limit` samples with the smallest hash keys are kept (the bottom-k sketch),
 * then each stratum gets its proportional share. Memory is O(limit x strata).
 */
export class SubsetCollector {
  private readonly strata = new Map<string, BottomK>()
  private order = 0
  /** Metadata fields seen (a few), to suggest one when `stratifyBy` names none of them. */
  private readonly fields = new Set<string>()
  private fieldFound = false

  constructor(private readonly request: SubsetRequest) {}

  /** Offers a sample; returns a problem when the strata field turns out not to be categorical. */
  add(sample: Sample): string | undefined {
    const field = this.request.stratifyBy
    const value = field === undefined ? undefined : own(sample.metadata, field)
    if (value !== undefined) this.fieldFound = true
    else if (field !== undefined && this.fields.size < 20) for (const key of Object.keys(sample.metadata ?? {})) this.fields.add(key)
    const stratum = field === undefined ? "" : (value ?? MISSING)
    let kept = this.strata.get(stratum)
    if (kept === undefined) {
      if (this.strata.size >= MAX_STRATA) {
        return `stratifyBy: metadata field "${field}" has more than ${MAX_STRATA} distinct values; stratify by a categorical field`
      }
      kept = new BottomK(this.request.limit)
      this.strata.set(stratum, kept)
    }
    kept.offer({ key: rankKey(this.request, sample.id), order: this.order++, sample })
    return undefined
  }

  /** A problem when samples came and none had the `stratifyBy` field: it is misspelt, or not metadata. */
  absentField(): string | undefined {
    const field = this.request.stratifyBy
    if (field === undefined || this.fieldFound || this.order === 0) return undefined
    const known = [...this.fields].sort()
    return `no sample has the metadata field "${field}"${known.length === 0 ? " (the samples have no metadata)" : `; fields found: ${known.join(", ")}`}`
  }

  /** The subset, in the order the samples came in, and what was taken from each stratum. */
  result(): { readonly samples: ReadonlyArray<Sample>; readonly taken: SubsetTaken } {
    const sizes = new Map([...this.strata].map(([s, k]) => [s, k.available]))
    const quotas = allocate(this.request.limit, sizes)
    const chosen: Array<Kept> = []
    const strata = emptyRecord<{ available: number; taken: number }>()
    for (const [stratum, kept] of [...this.strata].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const take = kept.sorted().slice(0, quotas.get(stratum) ?? 0)
      chosen.push(...take)
      if (this.request.stratifyBy !== undefined) strata[stratum] = { available: kept.available, taken: take.length }
    }
    chosen.sort((a, b) => a.order - b.order)
    return {
      samples: chosen.map((k) => k.sample),
      taken: {
        limit: this.request.limit,
        ...(this.request.stratifyBy === undefined ? {} : { stratifyBy: this.request.stratifyBy }),
        from: this.order,
        strata
      }
    }
  }
}
