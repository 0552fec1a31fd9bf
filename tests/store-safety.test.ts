import { describe, expect, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect, Exit, Layer } from "effect"
import { spawn, spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdtempSync, openSync, readFileSync, statSync, writeSync, closeSync } from "node:fs"
import { hostname, tmpdir } from "node:os"
import { join } from "node:path"
import { Progress } from "../src/audit/progress.js"
import { runAudit } from "../src/audit/run-audit.js"
import type { StoreError } from "../src/domain/store-error.js"
import { AuditStore, layerSqlite, type StoredRun } from "../src/store/audit-store.js"
import { migrations } from "../src/store/migrations.js"
import { resolveInline, smallAudit } from "./support/audits.js"

const storeFile = () => join(mkdtempSync(join(tmpdir(), "evalaudit-safety-")), "store.db")
const withStore = (file: string) => <A, E>(f: (store: typeof AuditStore.Service) => Effect.Effect<A, E>) =>
  Effect.flatMap(AuditStore, f).pipe(Effect.provide(layerSqlite(file)))
const digest = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex")

const run = (id: string): StoredRun => ({
  id,
  audit: "a",
  source: "a.yaml",
  version: "0.0.0",
  seed: 7,
  replicates: 1,
  specHash: "sha256:abc",
  specJson: "{}",
  command: "evalaudit run a.yaml",
  startedAt: "2026-01-01T00:00:00.000Z",
  finishedAt: null
})

/** Opening `file` must fail with `reason`; returns the error's message. */
const refused = (file: string, reason: StoreError["reason"]) =>
  Effect.gen(function* () {
    const exit = yield* Effect.exit(withStore(file)((s) => s.listRuns()))
    if (Exit.isSuccess(exit)) throw new Error(`${file} was opened`)
    const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
    expect(error?.reason).toBe(reason)
    return error?.message ?? ""
  })

describe("a file that is not an evalaudit store is refused and left byte for byte as it was", () => {
  it.effect("another program's database (its tables, its journal mode)", () =>
    Effect.gen(function* () {
      const file = storeFile()
      const db = new Database(file)
      db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')")
      db.close()
      const before = digest(file)
      const message = yield* refused(file, "Foreign")
      expect(message).toContain("not an evalaudit store")
      expect(message).toContain("notes")
      expect(digest(file)).toBe(before)
      // Never switched to WAL: no journal files beside it.
      expect(existsSync(`${file}-wal`)).toBe(false)
    })
  )

  it.effect("a SQLite file marked with another application id", () =>
    Effect.gen(function* () {
      const file = storeFile()
      const db = new Database(file)
      db.pragma("application_id = 1234")
      db.close()
      const before = digest(file)
      expect(yield* refused(file, "Foreign")).toContain("application id 1234")
      expect(digest(file)).toBe(before)
    })
  )

  it.effect("a file of random bytes", () =>
    Effect.gen(function* () {
      const file = storeFile()
      const fd = openSync(file, "w")
      writeSync(fd, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 251)))
      closeSync(fd)
      const before = digest(file)
      yield* refused(file, "Foreign")
      expect(digest(file)).toBe(before)
    })
  )

  it.effect("an empty file becomes a store, marked as one", () =>
    Effect.gen(function* () {
      const file = storeFile()
      closeSync(openSync(file, "w"))
      yield* withStore(file)((s) => s.createRun(run("r1")))
      const db = new Database(file, { readonly: true })
      expect(db.pragma("application_id", { simple: true })).toBe(0x45564155)
      expect(db.pragma("user_version", { simple: true })).toBe(Math.max(...migrations.map((m) => m.version)))
      db.close()
    })
  )
})

describe("a store from a newer evalaudit is refused, unchanged", () => {
  const newer = (mark: (db: Database.Database) => void) =>
    Effect.gen(function* () {
      const file = storeFile()
      yield* withStore(file)((s) => s.createRun(run("r1")))
      const db = new Database(file)
      mark(db)
      db.pragma("wal_checkpoint(TRUNCATE)")
      db.close()
      const before = digest(file)
      const message = yield* refused(file, "Newer")
      expect(message).toContain("schema version 99")
      expect(digest(file)).toBe(before)
    })

  it.effect("by a migration this version does not know", () =>
    newer((db) => db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01')").run())
  )
  it.effect("by the user version in its header", () => newer((db) => db.pragma("user_version = 99")))
})

/** A finished store of some size, then 64 KiB of garbage written over its middle. */
const damagedStore = () =>
  Effect.gen(function* () {
    const file = storeFile()
    yield* withStore(file)((s) =>
      Effect.gen(function* () {
        yield* s.createRun(run("r1"))
        const cells = Array.from({ length: 400 }, (_, i) => ({
          result: { _tag: "Measured" as const, evaluation: "bio", organism: `o${i}`, replicate: 0, k: 1, n: 2, measured: 0.5, truth: 0.5, shouldFire: false, didFire: false, outcome: "correct-pass" as const },
          samples: [{ sample: "q", epoch: 0, response: "x".repeat(500), score: 1, explanation: "right" }]
        }))
        yield* s.saveCells("r1", cells)
        yield* s.finishRun("r1", "2026-01-01T01:00:00.000Z")
      })
    )
    const size = statSync(file).size
    expect(size).toBeGreaterThan(4 * 65536)
    const fd = openSync(file, "r+")
    writeSync(fd, Buffer.alloc(65536, 0x5a), 0, 65536, Math.floor(size / 2 / 4096) * 4096)
    closeSync(fd)
    return file
  })

describe("a damaged store is refused before anything is written, with a way to recover", () => {
  it.effect("quick_check finds the garbage; the file is unchanged", () =>
    Effect.gen(function* () {
      const file = yield* damagedStore()
      const before = digest(file)
      const message = yield* refused(file, "Damaged")
      expect(message).toContain(".recover")
      expect(message).toContain("--db")
      expect(digest(file)).toBe(before)
    })
  )
})

describe("a store being migrated by another process", () => {
  it.effect("is opened once that process commits, without creating a table twice", () =>
    Effect.gen(function* () {
      const file = storeFile()
      // Another process migrating the fresh file: its migrations applied, not yet committed, for 2 s.
      const script = `
        const Database = require("better-sqlite3")
        const db = new Database(process.env.STORE)
        db.pragma("journal_mode = WAL")
        db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        db.exec("BEGIN IMMEDIATE")
        for (const m of JSON.parse(process.env.MIGRATIONS)) {
          db.exec(m.sql)
          db.prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)").run(m.version, m.name, "2026-01-01")
        }
        process.stdout.write("migrating\\n")
        setTimeout(() => { db.exec("COMMIT"); db.close() }, 2000)`
      const other = spawn(process.execPath, ["-e", script], {
        cwd: join(import.meta.dirname, ".."),
        env: { ...process.env, STORE: file, MIGRATIONS: JSON.stringify(migrations) },
        stdio: ["ignore", "pipe", "inherit"]
      })
      yield* Effect.async<void>((resume) => void other.stdout.once("data", () => resume(Effect.void)))
      yield* withStore(file)((s) => s.createRun(run("after")))
      expect((yield* withStore(file)((s) => s.listRuns())).map((r) => r.id)).toEqual(["after"])
    })
  )
})

describe("runs are created atomically and claimed by one process at a time", () => {
  it.effect("two runs of one audit and seed started in the same millisecond get two ids (the test clock stands still)", () =>
    Effect.gen(function* () {
      const file = storeFile()
      const audit = resolveInline(smallAudit({ replicates: 1, graderBattery: { numRuns: 0 }, manipulationCheck: { samples: 200 } }))
      const start = runAudit(audit, { concurrency: 2, command: "test" }).pipe(Effect.provide(Layer.merge(layerSqlite(file), Progress.silent)))
      const first = yield* start
      const second = yield* start
      expect(second.run.id).not.toBe(first.run.id)
      expect(second.run.startedAt).toBe(first.run.startedAt)
      expect(second.summary.runId).toBe(second.run.id)
    })
  )

  it.effect("a second run under a taken id fails as Exists, and the first is kept", () =>
    Effect.gen(function* () {
      const use = withStore(storeFile())
      yield* use((s) => s.createRun(run("same")))
      const error = yield* Effect.flip(use((s) => s.createRun({ ...run("same"), audit: "other" })))
      expect(error.reason).toBe("Exists")
      expect((yield* use((s) => s.listRuns())).map((r) => r.audit)).toEqual(["a"])
    })
  )

  it.effect("a run held by another live process is refused; one left by a dead process is taken over", () =>
    Effect.gen(function* () {
      const file = storeFile()
      const use = withStore(file)
      yield* use((s) => s.createRun(run("held")))
      const claim = (pid: number) => {
        const db = new Database(file)
        db.prepare("UPDATE run_claims SET pid = ?, host = ? WHERE run_id = 'held'").run(pid, hostname())
        db.close()
      }
      // pid 1 is always alive.
      claim(1)
      const busy = yield* Effect.flip(use((s) => s.claimRun("held")))
      expect(busy.reason).toBe("Busy")
      expect(busy.message).toContain("pid 1")
      // A process that has exited leaves its pid free.
      const dead = spawnSync(process.execPath, ["-e", "0"]).pid
      claim(dead)
      yield* use((s) => s.claimRun("held"))
      yield* use((s) => s.releaseRun("held"))
      const db = new Database(file, { readonly: true })
      expect(db.prepare("SELECT count(*) FROM run_claims").pluck().get()).toBe(0)
      db.close()
    })
  )
})
