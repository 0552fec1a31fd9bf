import { RESERVED_KEY, reservedKeyMessage } from "../domain/records.js"

/** Deeper than any audit needs (an inline sample's metadata sits 6 levels down); deeper values are refused before decoding recurses into them. */
export const MAX_NESTING = 64

export interface ShapeProblem {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

const isObject = (value: unknown): value is object => typeof value === "object" && value !== null

/**
 * What is wrong with an audit value's shape before it is decoded: not a mapping at the top,
 * nested deeper than `MAX_NESTING` (a cycle in a TypeScript audit is too), or a `__proto__`
 * key anywhere. Walks without recursion, so no input can overflow the stack here.
 */
export const shapeProblem = (value: unknown): ShapeProblem | undefined => {
  if (!isObject(value) || Array.isArray(value)) {
    const found = Array.isArray(value) ? "a list" : value === null ? "nothing" : `a ${typeof value}`
    return { path: [], message: `expected a mapping at the top level (name, evaluations, organisms), found ${found}` }
  }
  const pending: Array<{ readonly value: object; readonly path: ReadonlyArray<PropertyKey> }> = [{ value, path: [] }]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.path.length >= MAX_NESTING) return { path: next.path, message: `nested more than ${MAX_NESTING} levels deep; an audit needs far fewer` }
    if (Object.hasOwn(next.value, RESERVED_KEY)) return { path: next.path, message: reservedKeyMessage }
    const entries: Array<[PropertyKey, unknown]> = Array.isArray(next.value) ? next.value.map((v: unknown, i) => [i, v]) : Object.entries(next.value)
    for (const [key, inner] of entries) if (isObject(inner)) pending.push({ value: inner, path: [...next.path, key] })
  }
  return undefined
}
