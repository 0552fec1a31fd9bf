import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/**
 * This package's root folder: the nearest folder above this module whose package.json is
 * evalaudit's. Found by walking up, because the module runs from src/cli/ in development
 * and from the bundle in dist/bundle/ once built.
 */
export const packageRoot = (from: string = fileURLToPath(import.meta.url)): string => {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json")
    if (existsSync(manifest) && /"name"\s*:\s*"evalaudit"/.test(readFileSync(manifest, "utf8"))) return dir
    if (dirname(dir) === dir) return dirname(from)
  }
}
