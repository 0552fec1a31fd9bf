import fc from "fast-check"
import type { ResolvedAudit } from "../domain/audit.js"
import type { OrganismSpec } from "../domain/organism.js"
import { wilson, type Proportion } from "../stats/proportion.js"
import { assess, searchTarget, type SearchScope, type SearchTarget, type SubjectVerdict } from "./assess.js"
import { organismArbitrary } from "./organism-arbitrary.js"
import { organismSpace, type OrganismSpace, type OrganismSpaceOptions } from "./organism-space.js"
import { complexity, describeOrganism, simplifications, type Complexity } from "./simplicity.js"
import { plural } from "../domain/plural.js"

export interface SearchOptions {
  /** The search's one seed: fast-check's (organisms tried, the estimate's draws) and the key of the measurement draws. */
  readonly seed: number
  /** Organisms tried before the search concludes that none escapes. */
  readonly numRuns: number
  /**
   * Wall-clock budget: no new organism is tried after this many milliseconds. A search cut
   * short this way depends on the machine's speed, so it is not reproducible: `runs` says
   * how many organisms it got through.
   */
  readonly timeLimitMs?: number | undefined
  /** Replicates per organism; a subject catches it when it fires in a majority (default 3). */
  readonly replicates?: number | undefined
  /** Organisms drawn for the escape-fraction estimate (default 200; 0 skips it). */
  readonly estimateSamples?: number | undefined
  /** Triggers, evaluations, or both (default). */
  readonly scope?: SearchScope | undefined
  /** Replay a reported escape: the path printed with it (with the same seed). */
  readonly path?: string | undefined
  /** The organism space; behaviours and domains default to what the audit's evaluations measure. */
  readonly space?: OrganismSpaceOptions | undefined
  /** Most organisms assessed while descending to a local minimum after fast-check's shrinking (default 400). */
  readonly maxPolishAssessments?: number | undefined
}

/** The simplest escaping organism the search found. */
export interface EscapingOrganism {
  readonly organism: OrganismSpec
  readonly description: string
  readonly complexity: Complexity
  /** Every subject it escapes, with its truth and measured values; the first is the one reported. */
  readonly escapes: ReadonlyArray<SubjectVerdict>
}

export type SearchResult =
  | {
      readonly _tag: "Escaped"
      readonly seed: number
      /** With `seed`, replays fast-check's shrunk counterexample (`searchEscapes(audit, { seed, path, ... })`). */
      readonly path: string
      readonly runs: number
      readonly shrinks: number
      /** fast-check's shrunk counterexample, before the descent along the simplicity ordering. */
      readonly shrunk: OrganismSpec
      /** Simplifications accepted after fast-check's shrinking, and whether the result is a local minimum. */
      readonly polishSteps: number
      readonly minimal: boolean
      readonly escaping: EscapingOrganism
    }
  | { readonly _tag: "NoEscapeFound"; readonly seed: number; readonly runs: number }

/** Share of the organism distribution that escapes, among organisms that must be caught. */
export interface EscapeEstimate {
  readonly seed: number
  readonly drawn: number
  /** Drawn organisms whose truth crosses a threshold of some subject in scope. */
  readonly eligible: number
  readonly escaped: number
  /** escaped / eligible with a Wilson 95% interval. */
  readonly fraction: Proportion
  readonly bySubject: ReadonlyArray<{ readonly kind: SubjectVerdict["kind"]; readonly id: string; readonly eligible: number; readonly escaped: number }>
}

export interface SearchReport {
  readonly result: SearchResult
  readonly estimate: EscapeEstimate | null
  readonly space: OrganismSpace
  readonly replicates: number
  readonly skipped: ReadonlyArray<string>
}

/** The space the audit is searched over: unless told otherwise, behaviours and domains its evaluations measure. */
export const auditSpace = (audit: ResolvedAudit, options: OrganismSpaceOptions = {}): OrganismSpace => {
  const behaviours = [...new Set(audit.evaluations.flatMap((e) => (e.measures.kind === "propensity" ? [e.measures.behaviour] : [])))]
  const domains = [...new Set(audit.evaluations.flatMap((e) => (e.measures.kind === "capability" ? [e.measures.domain] : [])))]
  return organismSpace({ behaviours, domains, ...options })
}

const escapes = (target: SearchTarget, organism: OrganismSpec): boolean => assess(target, organism).escapes.length > 0

/**
 * Greedy descent along the one-step simplifications: take the first that still escapes,
 * until none does. fast-check's shrinker explores the same directions but is not exhaustive
 * (a `oneof` branch change, a cue restored), so this makes the reported organism a local
 * minimum of the documented order. Deterministic, so a replay reaches the same organism.
 */
export const descend = (
  target: SearchTarget,
  space: OrganismSpace,
  start: OrganismSpec,
  maxAssessments = 400
): { readonly organism: OrganismSpec; readonly steps: number; readonly minimal: boolean } => {
  let current = start
  let steps = 0
  let budget = maxAssessments
  for (;;) {
    let moved = false
    for (const s of simplifications(current, space)) {
      if (budget-- <= 0) return { organism: current, steps, minimal: false }
      if (escapes(target, s.organism)) {
        current = s.organism
        steps++
        moved = true
        break
      }
    }
    if (!moved) return { organism: current, steps, minimal: true }
  }
}

/** Draws organisms (seeded) and counts escapes among those that must be caught. */
export const estimateEscapes = (target: SearchTarget, space: OrganismSpace, seed: number, samples: number): EscapeEstimate => {
  const organisms = samples === 0 ? [] : fc.sample(organismArbitrary(space), { seed, numRuns: samples })
  const subjects = new Map<string, { kind: SubjectVerdict["kind"]; id: string; eligible: number; escaped: number }>()
  let eligible = 0
  let escaped = 0
  for (const organism of organisms) {
    const a = assess(target, organism)
    if (!a.eligible) continue
    eligible++
    if (a.escapes.length > 0) escaped++
    for (const v of a.verdicts) {
      if (!v.shouldFire) continue
      const key = `${v.kind}:${v.id}`
      const row = subjects.get(key) ?? { kind: v.kind, id: v.id, eligible: 0, escaped: 0 }
      row.eligible++
      if (v.escaped) row.escaped++
      subjects.set(key, row)
    }
  }
  return { seed, drawn: organisms.length, eligible, escaped, fraction: wilson(escaped, eligible), bySubject: [...subjects.values()] }
}

/**
 * Searches the organism space for the simplest misaligned organism that slips through the
 * audit's triggers and evaluations. The property, for every drawn organism: every trigger
 * (and evaluation) whose threshold the organism's truth crosses, and which measures what
 * its defects distort, fires in a majority of replicates. A counterexample is shrunk by
 * fast-check, then descended to a local minimum of the simplicity order (simplicity.ts).
 * Pure: the same audit and options give the same report.
 */
export const searchEscapes = (audit: ResolvedAudit, options: SearchOptions): SearchReport => {
  const target = searchTarget(audit, { replicates: options.replicates, scope: options.scope, seed: options.seed })
  const space = auditSpace(audit, options.space)
  const details = fc.check(
    fc.property(organismArbitrary(space), (organism) => !escapes(target, organism)),
    {
      seed: options.seed,
      numRuns: options.numRuns,
      ...(options.path === undefined ? {} : { path: options.path }),
      ...(options.timeLimitMs === undefined ? {} : { interruptAfterTimeLimit: options.timeLimitMs })
    }
  )
  const shrunk = details.failed && details.counterexample !== null ? details.counterexample[0] : undefined
  let result: SearchResult
  if (shrunk === undefined) {
    result = { _tag: "NoEscapeFound", seed: details.seed, runs: details.numRuns }
  } else {
    const polished = descend(target, space, shrunk, options.maxPolishAssessments)
    result = {
      _tag: "Escaped",
      seed: details.seed,
      path: details.counterexamplePath ?? "",
      runs: details.numRuns,
      shrinks: details.numShrinks,
      shrunk,
      polishSteps: polished.steps,
      minimal: polished.minimal,
      escaping: {
        organism: polished.organism,
        description: describeOrganism(polished.organism),
        complexity: complexity(polished.organism, space),
        escapes: assess(target, polished.organism).escapes
      }
    }
  }
  const samples = options.estimateSamples ?? 200
  return {
    result,
    estimate: samples === 0 ? null : estimateEscapes(target, space, options.seed, samples),
    space,
    replicates: target.replicates,
    skipped: target.skipped
  }
}

const fixed = (x: number): string => x.toFixed(3)

/** One line per escape, for findings: subject, truth against threshold, what was measured, and the replay. */
export const formatSearchResult = (result: SearchResult): string => {
  if (result._tag === "NoEscapeFound") return `no escaping organism in ${plural(result.runs, "run")} (seed ${result.seed})`
  const { escaping } = result
  const first = escaping.escapes[0]
  const subject =
    first === undefined
      ? "nothing (no longer escapes)"
      : `${first.kind} ${first.id} (fired in ${first.fired} of ${plural(first.replicates, "replicate")}; ${first.conditions
          .map((c) => `${c.evaluation}: true ${fixed(c.truth)} >= ${c.threshold}? measured ${c.measured.map(fixed).join(", ")}`)
          .join("; ")})`
  return `escaping organism: ${escaping.description}; escapes ${subject}; after ${result.shrinks} shrinks and ${result.polishSteps} simplifications${
    result.minimal ? "" : " (descent cut short: not proved minimal)"
  }; replay with { seed: ${result.seed}, path: "${result.path}" }`
}
