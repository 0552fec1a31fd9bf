import { describe, expect, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect, Option } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { CellResult, TriggerResult } from "../src/domain/outcome.js"
import type { ManipulationCheck } from "../src/domain/run.js"
import type { SearchScore } from "../src/domain/search-settings.js"
import type { GraderScore } from "../src/domain/summary.js"
import { AuditStore, layerSqlite, type StoredRun } from "../src/store/audit-store.js"
import { migrations } from "../src/store/migrations.js"
import { APPLICATION_ID, latestVersion } from "../src/store/open-store.js"

const storeFile = () => join(mkdtempSync(join(tmpdir(), "evalaudit-store-")), "store.db")
const withStore = (file: string) => <A, E>(f: (store: typeof AuditStore.Service) => Effect.Effect<A, E>) =>
  Effect.flatMap(AuditStore, f).pipe(Effect.provide(layerSqlite(file)))

const run: StoredRun = {
  id: "r1",
  audit: "a",
  source: "a.yaml",
  version: "0.0.0",
  seed: 7,
  replicates: 2,
  specHash: "sha256:abc",
  specJson: "{}",
  command: "evalaudit run a.yaml",
  startedAt: "2026-01-01T00:00:00.000Z",
  finishedAt: null
}

const cells: ReadonlyArray<CellResult> = [
  { _tag: "Measured", evaluation: "bio", organism: "control", replicate: 0, k: 3, n: 4, measured: 0.75, truth: 0.8, shouldFire: true, didFire: true, outcome: "caught" },
  {
    _tag: "Measured", evaluation: "bio", organism: "sandbagger", replicate: 0, k: 1, n: 4, measured: 0.25, truth: 0.9, shouldFire: true, didFire: false, outcome: "missed",
    standardError: 0.2, clusteredStandardError: 0.3, sequentialVerdict: "low"
  },
  { _tag: "Errored", evaluation: "bio", organism: "sandbagger", replicate: 1, reason: "provider timed out" }
]
const samples = [
  { sample: "q1", epoch: 0, response: "B", score: 0, explanation: "wrong" },
  { sample: "q0", epoch: 1, response: "<b>A</b>", score: 1, explanation: "right" },
  { sample: "q0", epoch: 0, response: "A", score: 1, explanation: "right" }
]
const triggers: ReadonlyArray<TriggerResult> = [
  { _tag: "Decided", trigger: "asl3", organism: "sandbagger", replicate: 0, shouldFire: true, didFire: false, outcome: "missed" },
  { _tag: "Errored", trigger: "asl3", organism: "sandbagger", replicate: 1, reason: "cell errored" }
]
const proportion = { k: 9, n: 10, estimate: 0.9, lower: 0.596, upper: 0.982 }
const checks: ReadonlyArray<ManipulationCheck> = [
  { organism: "sandbagger", passed: true, layers: [{ layer: "sandbagger", probe: "a probe", organism: proportion, base: { ...proportion, k: 0, estimate: 0 }, passed: true }] }
]
const graders: ReadonlyArray<GraderScore> = [
  {
    grader: "choice",
    evaluations: ["bio"],
    passed: false,
    properties: [
      { _tag: "Passed", property: "p1", runs: 100, seed: 1 },
      { _tag: "Failed", property: "p2", seed: 1, path: "0:1", shrinks: 2, counterexample: "[]", error: null }
    ]
  }
]
const search: SearchScore = {
  seed: 4,
  runs: 30,
  replicates: 3,
  scope: "triggers",
  escaping: null,
  estimate: { drawn: 40, eligible: 20, fraction: { k: 2, n: 20, estimate: 0.1, lower: 0.03, upper: 0.3 } },
  skipped: []
}

describe("the store reads back what it wrote, through the row schemas", () => {
  it.effect("runs, cells, responses, trigger results, checks, grader checks and the search", () =>
    Effect.gen(function* () {
      const use = withStore(storeFile())
      yield* use((s) => s.createRun(run))
      yield* use((s) =>
        s.saveCells(run.id, cells.map((result) => ({ result, samples: result.organism === "sandbagger" && result.replicate === 0 ? samples : [] })))
      )
      yield* use((s) => s.saveTriggerResults(run.id, triggers))
      yield* use((s) => s.saveChecks(run.id, checks))
      yield* use((s) => s.saveGraderChecks(run.id, graders))
      expect(yield* use((s) => s.loadSearch(run.id))).toEqual(Option.none())
      yield* use((s) => s.saveSearch(run.id, search))
      yield* use((s) => s.finishRun(run.id, "2026-01-01T01:00:00.000Z"))

      expect(yield* use((s) => s.findRun(run.id))).toEqual(Option.some({ ...run, finishedAt: "2026-01-01T01:00:00.000Z" }))
      expect(yield* use((s) => s.findRun("nope"))).toEqual(Option.none())
      expect(yield* use((s) => s.loadCells(run.id))).toEqual(cells)
      expect([...(yield* use((s) => s.finishedCells(run.id)))].sort()).toEqual(["bio/control/0", "bio/sandbagger/0"])
      // By sample id, then epoch: the stored order, not the order written.
      expect(yield* use((s) => s.loadResponses(run.id, { evaluation: "bio", organism: "sandbagger", replicate: 0 }))).toEqual([
        samples[2],
        samples[1],
        samples[0]
      ])
      expect(yield* use((s) => s.loadResponses(run.id, { evaluation: "bio", organism: "sandbagger", replicate: 1 }))).toEqual([])
      expect(yield* use((s) => s.loadTriggerResults(run.id))).toEqual(triggers)
      expect(yield* use((s) => s.loadChecks(run.id))).toEqual(checks)
      expect(yield* use((s) => s.loadGraderChecks(run.id))).toEqual(graders)
      expect(yield* use((s) => s.loadSearch(run.id))).toEqual(Option.some(search))
      expect(yield* use((s) => s.listRuns())).toEqual([
        { id: "r1", audit: "a", seed: 7, replicates: 2, specHash: "sha256:abc", startedAt: run.startedAt, finishedAt: "2026-01-01T01:00:00.000Z", cells: 3, errors: 1 }
      ])
      expect(yield* use((s) => s.loadSampleScores(run.id, ["bio"]))).toEqual([
        { evaluation: "bio", organism: "sandbagger", replicate: 0, sample: "q0", score: 1 },
        { evaluation: "bio", organism: "sandbagger", replicate: 0, sample: "q1", score: 0 }
      ])
    })
  )

  it.effect("re-saving a cell replaces its responses", () =>
    Effect.gen(function* () {
      const use = withStore(storeFile())
      yield* use((s) => s.createRun(run))
      const cell = cells[1]
      const first = samples[0]
      if (cell === undefined || first === undefined) return
      yield* use((s) => s.saveCells(run.id, [{ result: cell, samples }]))
      yield* use((s) => s.saveCells(run.id, [{ result: cell, samples: [first] }]))
      expect(yield* use((s) => s.loadResponses(run.id, cell))).toEqual([first])
    })
  )
})

describe("a row that does not decode is a corrupt store, naming the table and the column", () => {
  const corrupted = (sql: string) =>
    Effect.gen(function* () {
      const file = storeFile()
      const use = withStore(file)
      yield* use((s) => s.createRun(run))
      yield* use((s) => s.saveCells(run.id, cells.map((result) => ({ result, samples: [] }))))
      yield* use((s) => s.saveChecks(run.id, checks))
      const db = new Database(file)
      db.exec(sql)
      db.close()
      return use
    })

  it.effect("a flag that is not 0 or 1", () =>
    Effect.gen(function* () {
      const use = yield* corrupted("UPDATE cells SET should_fire = 7 WHERE organism = 'control'")
      const error = yield* Effect.flip(use((s) => s.loadCells(run.id)))
      expect(error.reason).toBe("Corrupt")
      expect(error.message).toContain("table cells, column should_fire")
    })
  )

  it.effect("a JSON column that is not the JSON expected", () =>
    Effect.gen(function* () {
      const use = yield* corrupted(`UPDATE manipulation_checks SET detail_json = '[{"layer": 3}]'`)
      const error = yield* Effect.flip(use((s) => s.loadChecks(run.id)))
      expect(error.reason).toBe("Corrupt")
      expect(error.message).toContain("table manipulation_checks, column detail_json")
    })
  )

  it.effect("an errored cell without its reason", () =>
    Effect.gen(function* () {
      const use = yield* corrupted("UPDATE cells SET error = NULL WHERE status = 'error'")
      const error = yield* Effect.flip(use((s) => s.loadCells(run.id)))
      expect(error.message).toContain("table cells, column error")
    })
  )
})

describe("a store written before the derived table", () => {
  it.effect("is migrated in place: its rows read as before, and its runs have no stored search", () =>
    Effect.gen(function* () {
      const file = storeFile()
      // The store as version 4 of the schema left it, rows written as the code of that time wrote them.
      const db = new Database(file)
      db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
      for (const m of migrations.filter((m) => m.version <= 4)) {
        db.exec(m.sql)
        db.prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)").run(m.version, m.name, "2025-01-01T00:00:00.000Z")
      }
      db.prepare("INSERT INTO runs VALUES ('old', 'a', 'a.yaml', '0.1.0', 3, 1, 'sha256:x', '{}', 'run', '2025-01-01', NULL)").run()
      db.prepare("INSERT INTO cells VALUES ('old', 'bio', 'o', 0, 'measured', 2, 4, 0.5, 0.9, 1, 0, 'missed', NULL, 0.25, NULL, NULL)").run()
      db.prepare("INSERT INTO responses VALUES ('old', 'bio', 'o', 0, 'q0', 0, 'A', 1, 'right')").run()
      db.close()

      const use = withStore(file)
      expect(yield* use((s) => s.loadCells("old"))).toEqual([
        { _tag: "Measured", evaluation: "bio", organism: "o", replicate: 0, k: 2, n: 4, measured: 0.5, truth: 0.9, shouldFire: true, didFire: false, outcome: "missed", standardError: 0.25 }
      ])
      expect(yield* use((s) => s.loadResponses("old", { evaluation: "bio", organism: "o", replicate: 0 }))).toEqual([
        { sample: "q0", epoch: 0, response: "A", score: 1, explanation: "right" }
      ])
      expect(yield* use((s) => s.loadSearch("old"))).toEqual(Option.none())
      const migrated = new Database(file, { readonly: true })
      expect(migrated.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(latestVersion())
      expect(migrated.pragma("application_id", { simple: true })).toBe(APPLICATION_ID)
      migrated.close()
    })
  )
})
