/**
 * The one place where numbers become text: decimals, signs, intervals, percentages, plurals,
 * confidence labels and the shell command that reruns an audit. Both memos, the terminal
 * table, the diff and the gate print through these, so a figure reads the same everywhere.
 *
 * Rules: a missing value (null, undefined, NaN, an infinity) prints as `MISSING`; a value that
 * rounds to zero prints without a sign ("0.00", never "-0.00" or "+0.00").
 */

/** What a missing or undefined figure prints as, everywhere. */
export const MISSING = "–"

/** A figure that is there to print: a finite number. */
const present = (x: number | null | undefined): x is number => x !== null && x !== undefined && Number.isFinite(x)

/**
 * A number to `digits` decimals; a value that rounds to zero has no minus sign.
 * @example num(0.456) // "0.46"; num(-0.001) // "0.00"; num(Number.NaN) // "–"
 */
export const num = (x: number | null | undefined, digits = 2): string => {
  if (!present(x)) return MISSING
  const text = x.toFixed(digits)
  // toFixed keeps the sign of a tiny negative ("-0.00"); zero has no sign.
  return Number(text) === 0 ? (0).toFixed(digits) : text
}

/**
 * A difference with its sign: "+0.12", "-0.44", and "0.00" when it rounds to zero.
 * @example signed(-0.001) // "0.00"
 */
export const signed = (x: number | null | undefined, digits = 2): string => {
  const text = num(x, digits)
  return present(x) && Number(text) > 0 ? `+${text}` : text
}

/**
 * "[0.31, 0.83]" with each end formatted by `format` (default `num`); "[no interval]" when an end is missing.
 * @example interval(-0.48, -0.43, signed) // "[-0.48, -0.43]"
 */
export const interval = (
  lower: number | null | undefined,
  upper: number | null | undefined,
  format: (x: number) => string = (x) => num(x)
): string => (present(lower) && present(upper) ? `[${format(lower)}, ${format(upper)}]` : "[no interval]")

/** "+0.20 [+0.15, +0.25]": a signed estimate and its interval. */
export const signedWithInterval = (estimate: number | null | undefined, lower: number | null | undefined, upper: number | null | undefined): string =>
  `${signed(estimate)} ${interval(lower, upper, (x) => signed(x))}`

/** A proportion as the summary stores it: `estimate` null when nothing applied (n = 0); k / n when absent. */
export interface ProportionFigures {
  readonly estimate?: number | null | undefined
  readonly k: number
  readonly n: number
  readonly lower: number
  readonly upper: number
}

/**
 * "0.60 (6/10) [0.31, 0.83]", or "– (0/0)" when nothing applied.
 * @example proportion({ estimate: 0.9, k: 9, n: 10, lower: 0.596, upper: 0.982 }) // "0.90 (9/10) [0.60, 0.98]"
 */
export const proportion = (p: ProportionFigures): string =>
  p.estimate === null || p.n === 0 ? `${MISSING} (0/0)` : `${num(p.estimate ?? p.k / p.n)} (${p.k}/${p.n}) ${interval(p.lower, p.upper)}`

/**
 * A rate as a percentage to three significant figures, no trailing zeros: "5%", "0.3%", "5.82%".
 * @example percent(0.003) // "0.3%"
 */
export const percent = (rate: number | null | undefined): string => (present(rate) ? `${Number((rate * 100).toPrecision(3))}%` : MISSING)

/**
 * A rate as a whole percentage: "42%".
 * @example wholePercent(0.416) // "42%"
 */
export const wholePercent = (rate: number | null | undefined): string => (present(rate) ? `${Math.round(rate * 100)}%` : MISSING)

/**
 * A confidence level as a percentage: "95%", "90%", "99.5%".
 * @example confidenceLevel(0.9) // "90%"
 */
export const confidenceLevel = (confidence: number): string => percent(confidence)

/**
 * The label of an interval column: "95% CI" for the level the summary's intervals were computed at.
 * @example ciLabel(0.9) // "90% CI"
 */
export const ciLabel = (confidence: number): string => `${confidenceLevel(confidence)} CI`

/** How the summary's intervals were computed (the summary's `statistics`). */
export interface IntervalSettings {
  readonly interval: "wilson" | "clopper-pearson"
  readonly confidence: number
}

/**
 * The interval method by name: "Wilson 95%", "Clopper-Pearson 90%".
 */
export const intervalName = (s: IntervalSettings): string =>
  `${s.interval === "wilson" ? "Wilson" : "Clopper-Pearson"} ${confidenceLevel(s.confidence)}`

/**
 * A probability to two decimals; the extremes say so rather than print 1.00 or 0.00.
 * @example probability(0.999) // "> 0.99"
 */
export const probability = (p: number | null | undefined): string =>
  !present(p) ? MISSING : p >= 0.995 ? "> 0.99" : p < 0.005 ? "< 0.01" : p.toFixed(2)

/** A p-value to three decimals, "< 0.001" below that. */
export const pValue = (p: number | null | undefined): string => (!present(p) ? MISSING : p < 0.001 ? "< 0.001" : p.toFixed(3))

export { plural } from "../domain/plural.js"

/**
 * Quotes a shell word only when it needs it, so the usual command stays copyable as printed.
 * @example shellQuote("my audit's.ts") // "'my audit'\\''s.ts'"
 */
export const shellQuote = (word: string): string => (/^[A-Za-z0-9_./,:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)

/** What the reproduction command needs of a summary. */
export interface RunSettings {
  readonly source: string
  readonly seed: number
  readonly replicates: number
}

/**
 * The command that reruns an audit with the same seed and replicates (see src/cli/run-command.ts).
 * @example reproductionCommand({ source: "a b.ts", seed: 1, replicates: 3 }) // "evalaudit run 'a b.ts' --seed 1 --replicates 3"
 */
export const reproductionCommand = (s: RunSettings): string => `evalaudit run ${shellQuote(s.source)} --seed ${s.seed} --replicates ${s.replicates}`

/** The command that replays one failed grader property with fast-check's seed and path. */
export const replayCommand = (source: string, property: string, seed: number, path: string): string =>
  `evalaudit graders ${shellQuote(source)} --replay ${shellQuote(`${property}:${seed}:${path}`)}`

/** How long a quoted excerpt of model output may be, in characters, before it is cut. */
export const EXCERPT_LENGTH = 300

/**
 * Characters that would be invisible or would reorder text around them: C0 and C1 controls,
 * bidirectional overrides and isolates, zero-width characters, the BOM.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g

/** A C0 control or DEL as its Unicode control picture (U+2400..), anything else as ⟨U+XXXX⟩. */
const visible = (c: string): string => {
  const code = c.codePointAt(0) ?? 0
  if (code < 0x20) return String.fromCodePoint(0x2400 + code)
  if (code === 0x7f) return "\u2421"
  return `⟨U+${code.toString(16).toUpperCase().padStart(4, "0")}⟩`
}

/**
 * Model output as a one-line quotation: control and invisible characters shown as symbols (a
 * newline as ␊), cut to `max` characters with an ellipsis. Still plain text: each format escapes it.
 * @example excerpt("a\nb") // "a␊b"
 */
export const excerpt = (text: string, max = EXCERPT_LENGTH): string => {
  // Cut by code points first, so a surrogate pair is never split, then make controls visible.
  const chars = Array.from(text)
  const cut = chars.length > max ? `${chars.slice(0, max).join("")}…` : text
  return cut.replace(INVISIBLE, visible)
}
