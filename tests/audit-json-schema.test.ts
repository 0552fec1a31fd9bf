import { Ajv } from "ajv"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { describe, expect, it } from "vitest"
import YAML from "yaml"
import { auditJsonSchema } from "../src/audit/audit-json-schema.js"

const root = join(import.meta.dirname, "..")
const shipped: unknown = JSON.parse(readFileSync(join(root, "schema", "audit.schema.json"), "utf8"))

/** Every audit in audits/: YAML and JSON as parsed, TypeScript as its default export. */
const audits = async (): Promise<Array<[string, unknown]>> => {
  const files = readdirSync(join(root, "audits")).filter((f) => /\.(ya?ml|json|ts)$/.test(f))
  return Promise.all(
    files.map(async (f): Promise<[string, unknown]> => {
      const path = join(root, "audits", f)
      if (f.endsWith(".ts")) {
        const module: { readonly default: unknown } = await import(pathToFileURL(path).href)
        return [f, module.default]
      }
      return [f, f.endsWith(".json") ? JSON.parse(readFileSync(path, "utf8")) : YAML.parse(readFileSync(path, "utf8"))]
    })
  )
}

describe("the shipped JSON Schema of audit files", () => {
  it("is what the generator makes", () => {
    expect(shipped).toEqual(JSON.parse(JSON.stringify(auditJsonSchema())))
  })

  it("compiles in Ajv's strict mode (no duplicate $id, every constraint typed)", () => {
    const ajv = new Ajv({ strict: true, allErrors: true })
    expect(() => ajv.compile(auditJsonSchema())).not.toThrow()
  })

  it("accepts every audit in audits/ and refuses a broken one", async () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(auditJsonSchema())
    const all = await audits()
    expect(all.map(([f]) => f)).toEqual(expect.arrayContaining(["example.audit.ts", "imported.audit.yaml"]))
    for (const [file, value] of all) {
      const ok = validate(value)
      expect({ file, ok, errors: validate.errors ?? null }).toEqual({ file, ok: true, errors: null })
    }
    const [, first] = all[0] ?? ["", {}]
    expect(validate({ ...Object(first), replicates: 0 })).toBe(false)
    expect(validate({ ...Object(first), threshhold: 1 })).toBe(false)
  })
})
