import { pathToFileURL } from "node:url"

let typeScriptLoader: Promise<void> | undefined

/**
 * Imports an audit written as a module. The CLI ships as compiled JavaScript, so a `.ts`
 * audit needs a TypeScript loader: tsx's is registered on first use only, which keeps
 * every other command free of its start-up cost.
 */
export const importAuditModule = async (file: string): Promise<Record<string, unknown>> => {
  if (/\.m?ts$/.test(file)) {
    typeScriptLoader ??= import("tsx/esm/api").then(({ register }) => {
      register()
    })
    await typeScriptLoader
  }
  return import(pathToFileURL(file).href)
}
