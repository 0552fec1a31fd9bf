/**
 * Mutations of a valid audit for fuzzing the loader and the CLI (issue 16): wrong types, huge
 * numbers, JavaScript built-in names, deep nesting, control characters, unknown and duplicate
 * keys, in JSON or YAML. Used by tests/audit-fuzz.test.ts (in process) and bench/fuzz.ts (the CLI).
 */
import fc from "fast-check"
import YAML from "yaml"

/** A small valid audit that runs in a second: one inline evaluation, one organism, no battery. */
export const baseAudit = (): Record<string, unknown> => ({
  name: "fuzz",
  seed: 3,
  replicates: 1,
  manipulationCheck: { samples: 50 },
  graderBattery: { numRuns: 0 },
  evaluations: [
    {
      id: "e",
      measures: { kind: "capability", domain: "bio" },
      dataset: { samples: [{ id: "s1", input: "Q1?", choices: ["a", "b"], target: "A", metadata: { topic: "x" } }, { id: "s2", input: "Q2?", choices: ["a", "b"], target: "B" }] },
      protocol: { epochs: 1 },
      grader: { type: "choice" },
      decision: { rule: "point", threshold: 0.5 }
    },
    {
      id: "p",
      measures: { kind: "propensity", behaviour: "power-seeking" },
      dataset: { samples: [{ id: "p1", input: "R?", matchingBehavior: "Yes", notMatchingBehavior: "No" }] },
      grader: { type: "behaviour-match" },
      decision: { rule: "point", threshold: 0.5 }
    }
  ],
  policy: { id: "pol", triggers: [{ id: "t", commitment: "c", conditions: [{ evaluation: "e" }] }] },
  organisms: [{ id: "o", base: { capabilities: { bio: 0.5 } } }, { archetype: "sandbagger", id: "sb" }],
  series: [{ id: "ser", quantity: { kind: "capability", domain: "bio" }, growth: { kind: "linear", from: 0.1, to: 0.9 }, checkpoints: 3 }],
  sweeps: [{ id: "w", organism: { archetype: "rare-defector" }, parameter: "rate", values: [0.1, 0.5] }]
})

type Path = ReadonlyArray<string | number>

/** Every path into a value (objects and arrays), the root excluded. */
const paths = (value: unknown, prefix: Path = []): Array<Path> => {
  if (typeof value !== "object" || value === null) return []
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v: unknown, i) => [i, v]) : Object.entries(value)
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])])
}

const BASE_PATHS = paths(baseAudit())

export const BUILT_IN_NAMES = ["constructor", "toString", "__proto__", "valueOf", "hasOwnProperty", "__defineGetter__", "prototype"] as const

const deep = (depth: number): unknown => {
  let v: unknown = 1
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v }
  return v
}

/** Values that do not belong where they are put. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(1e12, 1e15, 1e308, -1, 0, 0.5, -0.0, 2 ** 53 + 2, 200_000, 1e9),
  fc.constantFrom(...BUILT_IN_NAMES),
  fc.constantFrom("", " ", "\u001b[2J\u001b[32mall passed\u0007", "a\rb", "\u0000", "x".repeat(20_000), "ünïcødé 🙂", "../../etc/passwd"),
  fc.constantFrom(null, true, false, [], {}, [[]], { constructor: 1 }),
  fc.integer({ min: 50, max: 3000 }).map(deep),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true })
)

export type Mutation =
  | { readonly kind: "set"; readonly path: Path; readonly value: unknown }
  | { readonly kind: "delete"; readonly path: Path }
  | { readonly kind: "add"; readonly path: Path; readonly key: string; readonly value: unknown }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), path: fc.constantFrom(...BASE_PATHS), value: hostileValue }),
  fc.record({ kind: fc.constant("delete" as const), path: fc.constantFrom(...BASE_PATHS) }),
  fc.record({ kind: fc.constant("add" as const), path: fc.constantFrom([], ...BASE_PATHS), key: fc.oneof(fc.constantFrom(...BUILT_IN_NAMES), fc.string({ maxLength: 8 })), value: hostileValue })
)

const isContainer = (v: unknown): v is Record<string | number, unknown> => typeof v === "object" && v !== null

/** Applies a mutation to a copy of the audit (own properties only, so `__proto__` becomes a key). */
export const mutate = (audit: unknown, m: Mutation): unknown => {
  const copy: unknown = JSON.parse(JSON.stringify(audit))
  let parent: unknown = copy
  const at = m.kind === "add" ? m.path : m.path.slice(0, -1)
  for (const key of at) parent = isContainer(parent) ? parent[key] : undefined
  if (!isContainer(parent)) return copy
  const last = m.kind === "add" ? m.key : m.path[m.path.length - 1]
  if (last === undefined) return copy
  if (m.kind === "delete") {
    if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1)
    else Reflect.deleteProperty(parent, last)
  } else {
    Object.defineProperty(parent, last, { value: m.value, enumerable: true, writable: true, configurable: true })
  }
  return copy
}

export interface HostileCase {
  readonly mutations: ReadonlyArray<Mutation>
  readonly format: "json" | "yaml"
  /** JSON only: a top-level key written twice. */
  readonly duplicateKey: boolean
}

export const hostileCase: fc.Arbitrary<HostileCase> = fc.record({
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
  format: fc.constantFrom("json" as const, "yaml" as const),
  duplicateKey: fc.boolean()
})

/** The file name and text of a case. */
export const renderCase = (c: HostileCase): { readonly name: string; readonly text: string } => {
  const value = c.mutations.reduce<unknown>((a, m) => mutate(a, m), baseAudit())
  if (c.format === "yaml") {
    let text: string
    try {
      text = YAML.stringify(value, { aliasDuplicateObjects: false })
    } catch {
      text = JSON.stringify(value)
    }
    return { name: "audit.yaml", text }
  }
  const json = JSON.stringify(value) ?? "null"
  return { name: "audit.json", text: c.duplicateKey && json.startsWith('{"') ? `{"replicates":2,${json.slice(1)}` : json }
}
