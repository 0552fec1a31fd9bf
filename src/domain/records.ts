/**
 * Records keyed by user text (domains, behaviours, metadata fields, ids). A plain object
 * answers `record["constructor"]` with Object's own function and drops a `"__proto__"` key
 * silently, so lookups go through `own` and accumulators start from `emptyRecord`.
 */

/** The value `record` holds under `key` itself, never one inherited from `Object.prototype`. */
export const own = <V>(record: Readonly<Record<string, V>> | undefined, key: string): V | undefined =>
  record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined

/** An empty record without a prototype: "constructor" or "__proto__" are ordinary keys in it. */
export const emptyRecord = <V>(): Record<string, V> => Object.create(null)

/** `__proto__` is refused as a name: every plain record on the way (a decoded schema, JSON) would drop it silently. */
export const RESERVED_KEY = "__proto__"

export const reservedKeyMessage = `"${RESERVED_KEY}" is not allowed as a name or key (JavaScript records cannot hold it)`
