import { JSONSchema } from "effect"
import { AuditFileSchema } from "../domain/audit.js"

/** Where the schema ships in the package, for `$schema` in JSON audits and `# yaml-language-server: $schema=` in YAML ones. */
export const AUDIT_SCHEMA_FILE = "schema/audit.schema.json"

/**
 * The JSON Schema of declarative audit files, generated from the same effect Schema that
 * validates them (its encoded side: what a file may contain), so the two cannot drift.
 * Cross-field rules (unique ids, known evaluations in triggers) are checked by evalaudit
 * only; the JSON Schema covers shapes, ranges and enumerations.
 */
export const auditJsonSchema = (): object => ({
  $id: "https://evalaudit.dev/schema/audit.schema.json",
  title: "evalaudit audit",
  description: "An evalaudit audit: evaluations, policy triggers and model organisms (see the README, 'File formats').",
  ...JSONSchema.make(AuditFileSchema)
})

export const auditJsonSchemaText = (): string => `${JSON.stringify(auditJsonSchema(), null, 2)}\n`
