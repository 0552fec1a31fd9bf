/**
 * Binary searches over counts k = 0..n for monotone conditions on k (an interval bound
 * rises with k): O(log n) evaluations instead of a scan.
 */

/** The smallest k in 0..n for which `holds` is true, or n + 1 if none is (holds must be false, then true). */
export const smallestCount = (n: number, holds: (k: number) => boolean): number => {
  let lo = 0
  let hi = n + 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (holds(mid)) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** The largest k in 0..n for which `holds` is true, or -1 if none is (holds must be true, then false). */
export const largestCount = (n: number, holds: (k: number) => boolean): number => {
  let lo = -1
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (holds(mid)) lo = mid
    else hi = mid - 1
  }
  return lo
}
