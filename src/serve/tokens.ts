/**
 * Text as the words a harness cannot change: lower case, compatibility-normalised, split on
 * everything that is not a letter or a digit. A template may rewrap lines, quote the question,
 * label options "A)" instead of "(A)" or change case; the words stay in order.
 */
export const words = (text: string): Array<string> => {
  const found = text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu)
  return found === null ? [] : [...found]
}
