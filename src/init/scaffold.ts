import type { PackageReferences } from "./package-references.js"
import { starterDatasetJsonl } from "./starter-dataset.js"
import { DATASET_PATH } from "./starter-parts.js"
import { starterTs } from "./starter-ts.js"
import { starterYaml } from "./starter-yaml.js"

export type ScaffoldFormat = "yaml" | "ts"

/** A file to write, its path relative to the target folder. */
export interface ScaffoldFile {
  readonly path: string
  readonly content: string
}

export interface ScaffoldOptions {
  readonly format: ScaffoldFormat
  readonly references: PackageReferences
  /** Whether the audit schema accepts a `gate` section, so the starter may write one. */
  readonly gate: boolean
}

/** The starter audit's files: the audit (YAML or TypeScript) and its dataset. Pure. */
export const scaffold = (options: ScaffoldOptions): ReadonlyArray<ScaffoldFile> => [
  options.format === "yaml"
    ? { path: "audit.yaml", content: starterYaml(options.references.schema, options.gate) }
    : { path: "audit.mts", content: starterTs(options.references.module, options.gate) },
  { path: DATASET_PATH, content: starterDatasetJsonl() }
]
