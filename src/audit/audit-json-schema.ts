import { JSONSchema } from "effect"
import { AuditFileSchema } from "../domain/audit.js"

/** Where the schema ships in the package, for `$schema` in JSON audits and `# yaml-language-server: $schema=` in YAML ones. */
export const AUDIT_SCHEMA_FILE = "schema/audit.schema.json"

type Json = Readonly<Record<string, unknown>>

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)

const CONSTRAINTS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern", "minItems", "maxItems"]

/**
 * Makes effect's output acceptable to strict validators (Ajv in strict mode, which editors
 * and CI tools use):
 * - effect marks some inner schemas with an `$id` of its own (`/schemas/unknown`), once per
 *   place they occur; two equal `$id`s in one document make the whole schema invalid, so inner
 *   `$id`s are dropped (nothing refers to them);
 * - a refinement (`exclusiveMinimum`, `maxItems`) sits in an `allOf` item beside a `$ref`,
 *   without a `type`: it gets the type of what it refines (strictTypes).
 */
const strictReady = (value: unknown, defs: Json, inherited: unknown): unknown => {
  if (Array.isArray(value)) return value.map((item: unknown) => strictReady(item, defs, undefined))
  if (!isObject(value)) return value
  const referenced = typeof value["$ref"] === "string" ? defs[value["$ref"].replace("#/$defs/", "")] : undefined
  const type = value["type"] ?? (isObject(referenced) ? referenced["type"] : undefined) ?? inherited
  const entries = Object.entries(value).flatMap(([key, inner]: [string, unknown]) => {
    if (key === "$id") return []
    if (key === "allOf" && Array.isArray(inner)) return [[key, inner.map((item: unknown) => strictReady(item, defs, type))]]
    return [[key, strictReady(inner, defs, undefined)]]
  })
  const constrained = value["type"] === undefined && type !== undefined && CONSTRAINTS.some((k) => k in value)
  return Object.fromEntries(constrained ? [["type", type], ...entries] : entries)
}

/**
 * The JSON Schema of declarative audit files, generated from the same effect Schema that
 * validates them (its encoded side: what a file may contain), so the two cannot drift.
 * Cross-field rules (unique ids, known evaluations in triggers) are checked by evalaudit
 * only; the JSON Schema covers shapes, ranges and enumerations.
 */
export const auditJsonSchema = (): object => {
  const generated = JSONSchema.make(AuditFileSchema)
  const defs = isObject(generated.$defs) ? generated.$defs : {}
  return {
    $id: "https://evalaudit.dev/schema/audit.schema.json",
    title: "evalaudit audit",
    description: "An evalaudit audit: evaluations, policy triggers and model organisms (see the README, 'File formats').",
    ...Object.fromEntries(Object.entries(generated).map(([key, inner]: [string, unknown]) => [key, strictReady(inner, defs, undefined)]))
  }
}

export const auditJsonSchemaText = (): string => `${JSON.stringify(auditJsonSchema(), null, 2)}\n`
