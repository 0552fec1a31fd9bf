/**
 * Printing figures so that no two printed figures contradict each other (issue 17): a
 * measured 0.475 against a truth of 0.9 printed as "0.47 ... bias -0.42" reads as wrong
 * arithmetic. Each sentence states which of its figures must agree, and is printed with the
 * fewest decimals, from 2 up, at which they all do.
 */

/** x as printed with `decimals` decimals, read back as a number (so "0.60" is exactly 0.6). */
export const printed = (x: number, decimals: number): number => Number(x.toFixed(decimals))

/** x with `decimals` decimals, without a minus sign on a printed zero. */
export const fixed = (x: number, decimals: number): string => {
  const text = x.toFixed(decimals)
  return Number(text) === 0 ? text.replace("-", "") : text
}

/** x with a sign always shown, as for a difference: "+0.12", "-0.05", "0.00". */
export const signedFixed = (x: number, decimals: number): string => {
  const text = fixed(x, decimals)
  return Number(text) > 0 ? `+${text}` : text
}

/** What must hold of the printed figures. */
export type Agreement =
  /** Two printed figures keep the order of the figures (equal only if the figures are). */
  | { readonly _tag: "Order"; readonly a: number; readonly b: number }
  /** A printed figure stays on its side of a constant printed in full (a rule's threshold, 0). */
  | { readonly _tag: "Side"; readonly value: number; readonly bound: number }
  /** The printed difference is the difference of the printed figures. */
  | { readonly _tag: "Difference"; readonly a: number; readonly b: number; readonly difference: number }

export const order = (a: number, b: number): Agreement => ({ _tag: "Order", a, b })
export const side = (value: number, bound: number): Agreement => ({ _tag: "Side", value, bound })
export const difference = (a: number, b: number, difference: number): Agreement => ({ _tag: "Difference", a, b, difference })

const units = (x: number, decimals: number): number => Math.round(printed(x, decimals) * 10 ** decimals)

const holds = (agreement: Agreement, decimals: number): boolean => {
  switch (agreement._tag) {
    case "Order":
      return Math.sign(printed(agreement.a, decimals) - printed(agreement.b, decimals)) === Math.sign(agreement.a - agreement.b)
    case "Side":
      return Math.sign(printed(agreement.value, decimals) - agreement.bound) === Math.sign(agreement.value - agreement.bound)
    case "Difference":
      return units(agreement.a, decimals) - units(agreement.b, decimals) === units(agreement.difference, decimals)
  }
}

/** Two decimals unless the figures need more; six (the summary's own precision) at most. */
const MIN_DECIMALS = 2
const MAX_DECIMALS = 6

/** The fewest decimals at which every agreement holds of the printed figures. */
export const decimalsFor = (agreements: ReadonlyArray<Agreement>): number => {
  for (let d = MIN_DECIMALS; d < MAX_DECIMALS; d++) if (agreements.every((a) => holds(a, d))) return d
  return MAX_DECIMALS
}

/** Every pair of figures keeps its order: for a list of values printed together. */
export const ordered = (xs: ReadonlyArray<number>): ReadonlyArray<Agreement> => xs.flatMap((a, i) => xs.slice(i + 1).map((b) => order(a, b)))

/** A rate and its interval: each keeps its order against the others and its side of 0 and 1. */
export const rateAgreements = (p: { readonly estimate: number | null; readonly lower: number; readonly upper: number }): ReadonlyArray<Agreement> => {
  const figures = [...(p.estimate === null ? [] : [p.estimate]), p.lower, p.upper]
  return [...ordered(figures), ...figures.flatMap((x) => [side(x, 0), side(x, 1)])]
}
