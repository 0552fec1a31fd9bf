import type { ResolvedEvaluation } from "../domain/evaluation.js"
import type { Sample } from "../domain/sample.js"
import { type Conversation, lastUserTurn } from "./conversation.js"
import { words } from "./tokens.js"

/** Words of an anchor: long enough to be rare, short enough to survive a template that cuts a question into parts. */
const ANCHOR = 8
/** Inputs shorter than this are not indexed: one word occurs by chance in unrelated text. */
export const MIN_WORDS = 2

interface Item {
  readonly evaluation: number
  readonly sample: number
  readonly words: ReadonlyArray<string>
  /** Where its anchor starts within `words`. */
  readonly anchor: number
  /** Its options' words, each joined by spaces. */
  readonly choices: ReadonlyArray<string>
}

/**
 * The audit's datasets as an answer key that finds the item inside any rendered prompt. Each
 * item is indexed under its rarest run of words (its anchor); a request is scanned once, every
 * anchor found is checked against the item's whole input, so a lookup costs the prompt's length
 * times the few anchor lengths, whatever the size of the datasets.
 */
export interface ItemIndex {
  readonly evaluations: ReadonlyArray<ResolvedEvaluation>
  readonly anchors: ReadonlyMap<string, ReadonlyArray<Item>>
  /** First words of anchors: a position of the prompt starting with any other word is skipped at once. */
  readonly starts: ReadonlySet<string>
  /** Anchor lengths in use, each at most ANCHOR. */
  readonly lengths: ReadonlySet<number>
  readonly longest: number
  /** Items with fewer than MIN_WORDS words in their input, never recognised. */
  readonly tooShort: number
  /** Per evaluation, the word runs of its system prompt and template (around `{input}`), to tell apart evaluations sharing items. */
  readonly cues: ReadonlyArray<ReadonlyArray<string>>
}

const kgrams = (w: ReadonlyArray<string>, k: number): Array<string> => {
  const out: Array<string> = []
  for (let i = 0; i + k <= w.length; i++) out.push(w.slice(i, i + k).join(" "))
  return out
}

const cuesOf = (evaluation: ResolvedEvaluation): Array<string> =>
  [evaluation.protocol.systemPrompt ?? "", ...evaluation.protocol.template.split("{input}")]
    .map((text) => words(text).join(" "))
    .filter((text) => text !== "")

export const buildIndex = (evaluations: ReadonlyArray<ResolvedEvaluation>): ItemIndex => {
  const items: Array<Item> = []
  let tooShort = 0
  evaluations.forEach((evaluation, e) =>
    evaluation.dataset.samples.forEach((sample, s) => {
      const w = words(sample.input)
      if (w.length < MIN_WORDS) tooShort++
      else items.push({ evaluation: e, sample: s, words: w, anchor: 0, choices: (sample.choices ?? []).map((c) => words(c).join(" ")) })
    })
  )
  // How many items hold each k-gram (an item counted once): the rarest one becomes its anchor.
  const frequency = new Map<string, number>()
  for (const item of items) {
    for (const gram of new Set(kgrams(item.words, Math.min(ANCHOR, item.words.length)))) frequency.set(gram, (frequency.get(gram) ?? 0) + 1)
  }
  const anchors = new Map<string, Array<Item>>()
  const lengths = new Set<number>()
  const starts = new Set<string>()
  for (const item of items) {
    const k = Math.min(ANCHOR, item.words.length)
    const grams = kgrams(item.words, k)
    let best = 0
    for (let i = 1; i < grams.length; i++) if ((frequency.get(grams[i] ?? "") ?? 0) < (frequency.get(grams[best] ?? "") ?? 0)) best = i
    const key = grams[best] ?? ""
    const bucket = anchors.get(key) ?? []
    bucket.push({ ...item, anchor: best })
    anchors.set(key, bucket)
    lengths.add(k)
    starts.add(item.words[best] ?? "")
  }
  return { evaluations, anchors, starts, lengths, longest: Math.max(0, ...lengths), tooShort, cues: evaluations.map(cuesOf) }
}

/** A recognised item: its evaluation and sample, and how many other items of that evaluation precede it (demonstrations). */
export interface Recognised {
  readonly evaluation: ResolvedEvaluation
  readonly sample: Sample
  readonly demonstrations: number
}

interface Found {
  readonly item: Item
  readonly start: number
  readonly end: number
}

const sameWords = (text: ReadonlyArray<string>, at: number, item: ReadonlyArray<string>): boolean => {
  if (at < 0 || at + item.length > text.length) return false
  for (let i = 0; i < item.length; i++) if (text[at + i] !== item[i]) return false
  return true
}

/** Every item whose whole input occurs in `text` (its last occurrence). */
const occurrences = (index: ItemIndex, text: ReadonlyArray<string>): Array<Found> => {
  const found = new Map<Item, Found>()
  for (let i = 0; i < text.length; i++) {
    if (!index.starts.has(text[i] ?? "")) continue
    let key = ""
    for (let k = 1; k <= index.longest && i + k <= text.length; k++) {
      key = k === 1 ? (text[i] ?? "") : `${key} ${text[i + k - 1] ?? ""}`
      if (!index.lengths.has(k)) continue
      for (const item of index.anchors.get(key) ?? []) {
        const start = i - item.anchor
        if (sameWords(text, start, item.words)) found.set(item, { item, start, end: start + item.words.length })
      }
    }
  }
  return [...found.values()]
}

/** Drops an occurrence lying inside a longer one (a short question quoted by a longer item). */
const outermost = (found: ReadonlyArray<Found>): Array<Found> =>
  found.filter((f) => !found.some((g) => g !== f && g.start <= f.start && f.end <= g.end && g.end - g.start > f.end - f.start))

/** Other items of the same evaluation found before this one: the demonstrations it was asked with. */
const demonstrationsBefore = (found: ReadonlyArray<Found>, item: Found): number =>
  new Set(found.filter((f) => f.item.evaluation === item.item.evaluation && f.end <= item.start).map((f) => f.item.sample)).size

/** The items scoring highest. */
const best = (found: ReadonlyArray<Found>, score: (f: Found) => number): Array<Found> => {
  const scores = found.map(score)
  const top = Math.max(...scores)
  return found.filter((_, i) => scores[i] === top)
}

const contains = (haystack: string, needle: string): boolean => needle !== "" && ` ${haystack} `.includes(` ${needle} `)

/**
 * The item a conversation asks about: of the inputs found in it (the last user turn first, the
 * whole conversation else), the one ending last (demonstrations come before the question).
 * Items found at the same place (one question in several evaluations, or repeated with other
 * options) are told apart by the evaluation named in `hint`, then by how many of their options
 * occur in the text, then by how many of their evaluation's system prompt and template parts
 * do, then by the audit's order.
 */
export const recognise = (index: ItemIndex, conversation: Conversation, hint?: string): Recognised | undefined => {
  const parts = [conversation.system, ...conversation.turns.map((t) => t.content)].map(words)
  const last = lastUserTurn(conversation.turns) + 1
  const text = parts.flat()
  const lastStart = parts.slice(0, last).reduce((n, p) => n + p.length, 0)
  const lastEnd = lastStart + (parts[last]?.length ?? 0)
  const found = outermost(occurrences(index, text))
  if (found.length === 0) return undefined
  const inLast = found.filter((f) => f.start >= lastStart && f.end <= lastEnd)
  const pool = inLast.length > 0 ? inLast : found
  const end = Math.max(...pool.map((f) => f.end))
  let candidates = pool.filter((f) => f.end === end)
  if (candidates.length > 1) {
    const joined = text.join(" ")
    const hinted = candidates.filter((f) => index.evaluations[f.item.evaluation]?.id === hint)
    if (hinted.length > 0) candidates = hinted
    const options = (f: Found) => f.item.choices.filter((c) => contains(joined, c)).length
    const cues = (f: Found) => (index.cues[f.item.evaluation] ?? []).filter((c) => contains(joined, c)).length
    // An evaluation asking with as many demonstrations as the conversation shows is the likelier one.
    const shown = (f: Found) => -Math.abs((index.evaluations[f.item.evaluation]?.protocol.demonstrations ?? 0) - demonstrationsBefore(found, f))
    candidates = best(best(best(candidates, options), cues), shown)
  }
  const chosen = candidates.reduce((a, b) => (b.item.evaluation < a.item.evaluation || (b.item.evaluation === a.item.evaluation && b.item.sample < a.item.sample) ? b : a))
  const evaluation = index.evaluations[chosen.item.evaluation]
  const sample = evaluation?.dataset.samples[chosen.item.sample]
  if (evaluation === undefined || sample === undefined) return undefined
  return { evaluation, sample, demonstrations: demonstrationsBefore(found, chosen) }
}
