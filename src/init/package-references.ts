import { basename, dirname, isAbsolute, join, relative, sep } from "node:path"

/** How a scaffolded audit refers to evalaudit: its JSON Schema (for editors) and its module (for `defineAudit`). */
export interface PackageReferences {
  /** Path of `audit.schema.json` from the audit's folder, for `# yaml-language-server: $schema=`. */
  readonly schema: string
  /** Import specifier of the package's entry point from the audit's folder. */
  readonly module: string
}

const INSTALLED_SCHEMA = "node_modules/evalaudit/schema/audit.schema.json"

const isInside = (parent: string, child: string): boolean => {
  const rel = relative(parent, child)
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/** Forward slashes, as `$schema` and import specifiers use on every platform. */
const slashes = (p: string): string => p.split(sep).join("/")

const relativeSpecifier = (from: string, to: string): string => {
  const rel = slashes(relative(from, to))
  return rel.startsWith(".") ? rel : `./${rel}`
}

/**
 * References from `targetDir` to the evalaudit package at `packageRoot` (both absolute).
 * Inside the package's own checkout, relative paths to its schema and `src/index.js`.
 * Inside a project that has the package installed (`<project>/node_modules/evalaudit`),
 * the relative path to the installed schema and the bare specifier `evalaudit`. Anywhere
 * else, the conventional `node_modules/evalaudit/...` path, right once the package is
 * installed next to the audit.
 */
export const packageReferences = (targetDir: string, packageRoot: string): PackageReferences => {
  const schemaFile = join(packageRoot, "schema", "audit.schema.json")
  if (isInside(packageRoot, targetDir)) {
    return { schema: slashes(relative(targetDir, schemaFile)), module: relativeSpecifier(targetDir, join(packageRoot, "src", "index.js")) }
  }
  const modules = dirname(packageRoot)
  if (basename(modules) === "node_modules" && isInside(dirname(modules), targetDir)) {
    return { schema: slashes(relative(targetDir, schemaFile)), module: "evalaudit" }
  }
  return { schema: INSTALLED_SCHEMA, module: "evalaudit" }
}
