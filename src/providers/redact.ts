/**
 * Keeps credentials out of every error message and log line. The exact key is removed
 * wherever it appears; header-shaped and key-shaped fragments are masked as well, in case a
 * server or proxy echoes a credential we were never told about.
 */

import { Redacted } from "effect"

const MARK = "[redacted]"

const PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/(authorization["']?\s*[:=]\s*["']?)(bearer\s+)?[^\s"',}]+/gi, `$1$2${MARK}`],
  [/\bbearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, `Bearer ${MARK}`],
  [/(x-api-key["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, `$1${MARK}`],
  // keys in query strings (`?api-key=`, `&key=`, as some gateways take them)
  [/([?&](?:api[-_]?key|key|token|access_token)=)[^&\s"']+/gi, `$1${MARK}`],
  // OpenAI- and Anthropic-style secret keys
  [/\bsk-[A-Za-z0-9_-]{16,}/g, MARK]
]

/**
 * `text` with every exact occurrence of a secret replaced by a mark. Used on model output,
 * where credential-shaped text (a code sample, say) is legitimate and must survive.
 */
export const stripSecrets = (text: string, secrets: ReadonlyArray<Redacted.Redacted<string>>): string => {
  let out = text
  for (const secret of secrets) {
    const value = Redacted.value(secret)
    if (value.length > 0) out = out.replaceAll(value, MARK)
  }
  return out
}

/** `text` with every secret, and anything shaped like a credential, replaced by a mark. */
export const redactSecrets = (text: string, secrets: ReadonlyArray<Redacted.Redacted<string>> = []): string => {
  let out = stripSecrets(text, secrets)
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement)
  return out
}
