import { Command } from "@effect/cli"
import { Console } from "effect"
import { auditJsonSchemaText } from "../audit/audit-json-schema.js"

export const schemaCommand = Command.make("schema", {}, () => Console.log(auditJsonSchemaText().trimEnd())).pipe(
  Command.withDescription("print the JSON Schema of YAML and JSON audit files")
)
