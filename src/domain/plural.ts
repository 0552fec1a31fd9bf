/**
 * "1 replicate", "3 replicates", "0 organisms"; `many` for irregular plurals. Here, at the
 * bottom of the layers, so every layer that writes a sentence counts alike.
 * @example plural(1, "replicate") // "1 replicate"
 */
export const plural = (n: number, noun: string, many = `${noun}s`): string => `${n} ${Math.abs(n) === 1 ? noun : many}`
