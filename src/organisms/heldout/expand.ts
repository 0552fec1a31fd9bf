import { Either, ParseResult, Schema } from "effect"
import { ArchetypeOrganism, type ExpansionError } from "../../domain/archetype.js"
import { HeldOutFamilyInput } from "../../domain/held-out.js"
import { familyValues } from "./family.js"

const decodeArchetype = Schema.decodeUnknownEither(ArchetypeOrganism, { errors: "all", onExcessProperty: "error" })
const decodeFamily = Schema.decodeUnknownEither(HeldOutFamilyInput, { errors: "all", onExcessProperty: "error" })

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === "object" && value !== null && !Array.isArray(value)

/** A schema failure of our own making, placed at `path`. */
const problem = (path: ReadonlyArray<PropertyKey>, actual: unknown, message: string): ExpansionError => ({
  path,
  error: new ParseResult.ParseError({ issue: new ParseResult.Type(Schema.Unknown.ast, actual, message) })
})

/**
 * Expands the `heldOut` section before the audit is decoded: archetype entries become full
 * organisms, and each family becomes its organisms (values drawn with the secret salt).
 */
export const expandHeldOut = (audit: unknown): Either.Either<unknown, ExpansionError> => {
  if (!isRecord(audit) || !isRecord(audit["heldOut"])) return Either.right(audit)
  const heldOut = audit["heldOut"]
  const organisms: Array<unknown> = []
  const entries = heldOut["organisms"]
  if (Array.isArray(entries)) {
    for (const [i, entry] of entries.entries()) {
      if (!isRecord(entry) || !("archetype" in entry)) {
        organisms.push(entry)
        continue
      }
      const decoded = decodeArchetype(entry)
      if (Either.isLeft(decoded)) return Either.left({ path: ["heldOut", "organisms", i], error: decoded.left })
      organisms.push(decoded.right)
    }
  }
  const families = heldOut["families"]
  if (Array.isArray(families)) {
    for (const [f, entry] of families.entries()) {
      const family = decodeFamily(entry)
      if (Either.isLeft(family)) return Either.left({ path: ["heldOut", "families", f], error: family.left })
      const { organism, ...variations } = family.right
      // Keyed by the salt, not the public seed: the sealed values must not be recomputable.
      const salt = typeof heldOut["salt"] === "string" ? heldOut["salt"] : ""
      const values = familyValues(variations, salt)
      if (Either.isLeft(values)) return Either.left(problem(["heldOut", "families", f], entry, values.left.message))
      for (const [i, value] of values.right.entries()) {
        const decoded = decodeArchetype({ ...organism, [variations.parameter]: value, id: `${variations.id}.${i}` })
        if (Either.isLeft(decoded)) return Either.left({ path: ["heldOut", "families", f, "organism"], error: decoded.left })
        organisms.push(decoded.right)
      }
    }
  }
  const { families: _, ...rest } = heldOut
  return Either.right({ ...audit, heldOut: { ...rest, organisms } })
}
