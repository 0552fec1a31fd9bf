import { Effect, Layer } from "effect"
import type { AuditInput } from "../../src/domain/audit.js"
import type { FindingFigures } from "../../src/domain/finding-figures.js"
import type { Summary } from "../../src/domain/summary.js"
import { Progress } from "../../src/audit/progress.js"
import { runAudit } from "../../src/audit/run-audit.js"
import { layerSqlite } from "../../src/store/audit-store.js"
import { resolveInline, smallAudit } from "./audits.js"

/**
 * Strings a model or an audit author could put into a summary. The canaries set
 * `window.__xss` if they ever run; the rest try to break out of text, attributes, tables,
 * comments and style, or to make the page fetch something.
 */
export const PAYLOADS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  `<img src=x onerror="window.__xss=1">`,
  "<script>window.__xss=2</script>",
  `"><svg onload="window.__xss=3">`,
  `' onmouseover='window.__xss=4' x='`,
  "</td></tr></table></style></title><b>tag-soup</b><!--",
  "&lt;i&gt;pre-escaped&lt;/i&gt; &amp; &#x3C;",
  `<a href="https://evil.example/p">https://evil.example/p</a>`,
  "<style>body{background:url(https://evil.example/bg.png)}</style>",
  `<iframe src="javascript:window.__xss=5"></iframe>`,
  "<link rel=stylesheet href=//evil.example/x.css>"
] as const

/** Every hostile value also carries both quotes, so whichever lands in an attribute tries to close it. */
const payload = (i: number): string => `${PAYLOADS[i % PAYLOADS.length] ?? ""} "q' end`

/** The small audit plus an `includes` evaluation, whose grader fails a battery property: a real counterexample. */
const auditWithGraderFault = (): AuditInput => {
  const base = smallAudit({ replicates: 2, graderBattery: { numRuns: 25 } })
  const [bio, elicited, clean, ...rest] = base.evaluations
  if (bio === undefined || elicited === undefined || clean === undefined) throw new Error("smallAudit changed")
  return {
    ...base,
    // Every optional section of the memo present: a sequential evaluation, a comparison, a sweep.
    comparisons: [{ id: "elicitation-gap", title: "Elicited vs plain", a: bio.id, b: elicited.id }],
    sweeps: [{ id: "defection", title: "Defection rate", organism: { archetype: "rare-defector" }, parameter: "rate", values: [0.01, 0.2, 0.5] }],
    evaluations: [
      bio,
      elicited,
      { ...clean, sequential: { method: "sprt" } },
      ...rest,
      {
        id: "capital-includes",
        measures: { kind: "capability", domain: "geography" },
        dataset: { samples: Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, input: `Capital number ${i}?`, target: `City${i}` })) },
        grader: { type: "includes" },
        decision: { rule: "point", threshold: 0.6 }
      }
    ]
  }
}

/** Runs a small audit in memory and returns its summary (about a second). */
export const auditSummary = (): Effect.Effect<Summary, unknown> =>
  runAudit(resolveInline(auditWithGraderFault()), { concurrency: 4, command: "test" }).pipe(
    Effect.map((r) => r.summary),
    Effect.provide(Layer.merge(layerSqlite(":memory:"), Progress.silent))
  )

/** A finding's figures with a hostile string in each string field its sentence quotes. */
const hostileFigures = (figures: FindingFigures, next: () => string): FindingFigures => {
  switch (figures._tag) {
    case "TriggerMiss":
      return { ...figures, commitment: next() }
    case "SkippedRecords":
      return { ...figures, source: next() }
    case "OrganismEscape":
      return { ...figures, affects: figures.affects.map(() => next()) }
    case "SearchEscape":
      return { ...figures, description: next(), subjectKind: next(), replay: { ...figures.replay, path: next() } }
    case "ManipulationCheckFailed":
      return { ...figures, layers: figures.layers.map((l) => ({ ...l, layer: next() })) }
    case "GraderFault":
      return { ...figures, grader: next(), evaluations: [next()], property: next(), counterexample: next(), error: next() }
    default:
      return figures
  }
}

/**
 * The same summary with a hostile string in every string field the memo can show: ids
 * (renamed consistently, so rows still match columns), titles, descriptions, rules,
 * findings, grader names and counterexamples, run metadata. Numbers are left alone.
 */
export const hostileSummary = (s: Summary): Summary => {
  let n = 0
  const next = () => payload(n++)
  const organismIds = new Map(s.organisms.map((o, i) => [o.id, `${o.id} ${payload(i)}`]))
  const evaluationIds = new Map(s.evaluations.map((e, i) => [e.id, `${e.id} ${payload(i + 3)}`]))
  const organism = (id: string) => organismIds.get(id) ?? id
  const evaluation = (id: string) => evaluationIds.get(id) ?? id
  const hostileGrader: Summary["graders"][number] = {
    grader: next(),
    evaluations: s.evaluations.map((e) => evaluation(e.id)),
    passed: false,
    properties: [
      { _tag: "Failed", property: next(), seed: 1, path: next(), shrinks: 3, counterexample: PAYLOADS.join(" | "), error: next() },
      { _tag: "NotApplicable", property: next(), reason: next() },
      { _tag: "Interrupted", property: next(), runs: 7, seed: 2 },
      { _tag: "Passed", property: next(), runs: 9, seed: 3 }
    ]
  }
  return {
    ...s,
    runId: next(),
    audit: next(),
    source: next(),
    version: next(),
    specHash: next(),
    startedAt: next(),
    finishedAt: next(),
    evaluations: s.evaluations.map((e) => ({
      ...e,
      id: evaluation(e.id),
      title: next(),
      measures: next(),
      rule: next(),
      organisms: e.organisms.map((r) => ({ ...r, organism: organism(r.organism) })),
      dataset: {
        ...e.dataset,
        source: next(),
        format: next(),
        skipped: 1,
        skippedExamples: [next()],
        subset: { limit: 5, stratifyBy: next(), from: 9, strata: { [next()]: { available: 9, taken: 5 } } },
        baseline: {
          task: next(),
          model: next(),
          status: "error",
          created: next(),
          samples: 3,
          metrics: { [next()]: { [next()]: 0.5 } },
          scores: {},
          error: next()
        }
      }
    })),
    triggers: s.triggers.map((t) => ({
      ...t,
      id: `${t.id} ${next()}`,
      commitment: next(),
      rule: next(),
      organisms: t.organisms.map((r) => ({ ...r, organism: organism(r.organism) }))
    })),
    organisms: s.organisms.map((o) => ({
      ...o,
      id: organism(o.id),
      description: next(),
      layers: o.layers.map(() => next()),
      truth: { ...o.truth, capabilities: { ...o.truth.capabilities, [next()]: 0.5 }, propensities: { ...o.truth.propensities, [next()]: 0.25 } },
      manipulationCheck:
        o.manipulationCheck === null ? null : { ...o.manipulationCheck, layers: o.manipulationCheck.layers.map((l) => ({ ...l, layer: next(), probe: next() })) }
    })),
    graders: [
      ...s.graders.map((g) => ({
        ...g,
        grader: `${g.grader} ${next()}`,
        evaluations: g.evaluations.map(evaluation),
        properties: g.properties.map((p) => (p._tag === "Failed" ? { ...p, counterexample: `${p.counterexample} ${next()}`, error: next() } : p))
      })),
      hostileGrader
    ],
    escapes: [...s.escapes.map(organism), ...s.organisms.slice(0, 1).map((o) => organism(o.id))],
    sweeps: s.sweeps.map((w) => ({
      ...w,
      id: `${w.id} ${next()}`,
      title: next(),
      parameter: next(),
      archetype: next(),
      subjects: w.subjects.map((subject) => ({ ...subject, id: `${subject.id} ${next()}` }))
    })),
    comparisons: s.comparisons.map((c) => ({
      ...c,
      id: `${c.id} ${next()}`,
      title: next(),
      a: evaluation(c.a),
      b: evaluation(c.b),
      organisms: c.organisms.map((r) => ({ ...r, organism: organism(r.organism) }))
    })),
    findings: s.findings.map((f) => ({
      ...f,
      subject: next(),
      organism: f.organism === null ? null : organism(f.organism),
      figures: hostileFigures(f.figures, next)
    }))
  }
}
