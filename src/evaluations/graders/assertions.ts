import type { Assertion } from "../../domain/sample.js"

/** A `regex` assertion's pattern, compiled, or why it does not compile. */
export type CompiledPattern = RegExp | { readonly invalid: string }

/** Compiles a pattern as promptfoo does (`new RegExp(value)`, no flags), never throwing. */
export const compilePattern = (pattern: string): CompiledPattern => {
  try {
    return new RegExp(pattern)
  } catch (e) {
    return { invalid: e instanceof Error ? e.message : String(e) }
  }
}

/**
 * A memo of compiled patterns: a dataset repeats a few patterns over many samples and
 * every response is tested against them, so each is compiled once. Without the `g` or `y`
 * flag a RegExp keeps no state between tests, so sharing one is safe.
 */
export const patternCache = (): ((pattern: string) => CompiledPattern) => {
  const cache = new Map<string, CompiledPattern>()
  return (pattern) => {
    const known = cache.get(pattern)
    if (known !== undefined) return known
    const compiled = compilePattern(pattern)
    cache.set(pattern, compiled)
    return compiled
  }
}

/** Whether the response passes one assertion, or why the assertion cannot be checked. */
export const passesAssertion = (
  assertion: Assertion,
  response: string,
  compile: (pattern: string) => CompiledPattern
): boolean | { readonly invalid: string } => {
  const negated = assertion.type.startsWith("not-")
  let holds: boolean
  switch (assertion.type) {
    case "contains":
    case "not-contains":
      holds = response.includes(assertion.value)
      break
    case "icontains":
    case "not-icontains":
      holds = response.toLowerCase().includes(assertion.value.toLowerCase())
      break
    case "equals":
    case "not-equals":
      holds = response.trim() === assertion.value.trim()
      break
    case "regex":
    case "not-regex": {
      const pattern = compile(assertion.value)
      if (!(pattern instanceof RegExp)) return pattern
      holds = pattern.test(response)
      break
    }
  }
  return holds !== negated
}

/** An assertion as it reads in an explanation, its value cut short: `icontains "paris"`. */
export const describeAssertion = (assertion: Assertion): string => {
  const value = assertion.value.length > 60 ? `${assertion.value.slice(0, 57)}...` : assertion.value
  return `${assertion.type} ${JSON.stringify(value)}`
}

/** The first assertion the response fails (its index and why), or null when it passes all. */
export const firstFailure = (
  assertions: ReadonlyArray<Assertion>,
  response: string,
  compile: (pattern: string) => CompiledPattern
): { readonly index: number; readonly reason: string } | null => {
  for (const [index, assertion] of assertions.entries()) {
    const result = passesAssertion(assertion, response, compile)
    if (result === true) continue
    const reason = result === false ? `fails ${describeAssertion(assertion)}` : `invalid regex ${JSON.stringify(assertion.value)} (${result.invalid})`
    return { index, reason }
  }
  return null
}
