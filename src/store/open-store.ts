import Database from "better-sqlite3"
import { StoreError } from "../domain/store-error.js"
import { type Migration, migrations } from "./migrations.js"

/** "EVAU": written into the file header (`PRAGMA application_id`) so a store is told from any other SQLite file. */
export const APPLICATION_ID = 0x45564155

/** The newest schema this version knows (kept in `PRAGMA user_version` too). */
export const latestVersion = (known: ReadonlyArray<Migration> = migrations): number => Math.max(0, ...known.map((m) => m.version))

/** How long a writer waits for another process's transaction before giving up. */
const BUSY_TIMEOUT_MS = 15_000

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** What a file holds, read before anything is written to it. */
type Contents =
  | { readonly _tag: "Empty" }
  | { readonly _tag: "Store"; readonly applied: ReadonlyArray<number> }
  | { readonly _tag: "Foreign"; readonly what: string }

const numberPragma = (db: Database.Database, name: string): number => {
  const value: unknown = db.pragma(name, { simple: true })
  return typeof value === "number" ? value : 0
}

const appliedVersions = (db: Database.Database): Array<number> =>
  db.prepare("SELECT version FROM schema_migrations").pluck().all().filter((v): v is number => typeof v === "number")

/**
 * Reads (never writes) what the file holds. A store is marked by its application id; a store
 * written before the mark existed is known by its `schema_migrations` table. An empty file
 * (no schema at all) becomes a new store; anything else belongs to another program.
 */
const inspect = (db: Database.Database): Contents => {
  const applicationId = numberPragma(db, "application_id")
  const names = db.prepare("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all().map(String)
  if (applicationId !== 0 && applicationId !== APPLICATION_ID) {
    return { _tag: "Foreign", what: `the file of another program (application id ${applicationId})` }
  }
  if (applicationId === 0 && names.length === 0 && numberPragma(db, "user_version") === 0) return { _tag: "Empty" }
  if (!names.includes("schema_migrations")) {
    const listed = names.slice(0, 5).join(", ") + (names.length > 5 ? `, and ${names.length - 5} more` : "")
    return { _tag: "Foreign", what: names.length === 0 ? "a SQLite file with a user version set" : `a SQLite file with other tables (${listed})` }
  }
  const applied = appliedVersions(db)
  return { _tag: "Store", applied: [...applied, numberPragma(db, "user_version")] }
}

const damaged = (file: string, detail: string) =>
  new StoreError({
    reason: "Damaged",
    message:
      `store ${file} is damaged (${detail}); nothing was written to it. Recover what it holds with ` +
      `\`sqlite3 ${file} .recover | sqlite3 recovered.db\` and pass --db recovered.db, or start a new store with another --db`
  })

/** SQLite's own words for a damaged file. */
const isDamage = (e: unknown): boolean =>
  e instanceof Error && "code" in e && typeof e.code === "string" && e.code.startsWith("SQLITE_CORRUPT")

/** Refuses a file that is not an evalaudit store, one from a newer version, or a damaged one; reads only. */
const admit = (db: Database.Database, file: string, known: ReadonlyArray<Migration>): void => {
  const contents = inspect(db)
  if (contents._tag === "Foreign") {
    throw new StoreError({
      reason: "Foreign",
      message: `${file} is not an evalaudit store: it is ${contents.what}; it was left unchanged (give a new or an evalaudit file with --db)`
    })
  }
  if (contents._tag === "Empty") return
  const newest = Math.max(0, ...contents.applied)
  const latest = latestVersion(known)
  const unknown = contents.applied.filter((v) => v !== 0 && !known.some((m) => m.version === v))
  if (newest > latest || unknown.length > 0) {
    throw new StoreError({
      reason: "Newer",
      message: `store ${file} has schema version ${newest}, written by a newer evalaudit (this one knows up to ${latest}); it was left unchanged: use that version, or another --db`
    })
  }
  const rows = db.pragma("quick_check", { simple: false })
  const problems = Array.isArray(rows) ? rows.map((r: unknown) => (typeof r === "object" && r !== null && "quick_check" in r ? String(r.quick_check) : String(r))) : []
  if (problems.length !== 1 || problems[0] !== "ok") throw damaged(file, `quick_check: ${problems[0] ?? "no answer"}`)
}

/**
 * Applies the migrations this file lacks, all in one `BEGIN IMMEDIATE` transaction: a second
 * process opening the same fresh file waits (busy timeout) and then finds them applied, so
 * two processes never both create a table. Writes nothing when the store is up to date.
 */
const migrate = (db: Database.Database, known: ReadonlyArray<Migration>): void => {
  const latest = latestVersion(known)
  const upToDate = () =>
    numberPragma(db, "application_id") === APPLICATION_ID &&
    numberPragma(db, "user_version") === latest &&
    known.every((m) => appliedVersions(db).includes(m.version))
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").get() !== undefined && upToDate()) return
  db.transaction(() => {
    db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    const applied = new Set(appliedVersions(db))
    for (const migration of known) {
      if (applied.has(migration.version)) continue
      db.exec(migration.sql)
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(migration.version, migration.name, new Date().toISOString())
    }
    db.pragma(`application_id = ${APPLICATION_ID}`)
    db.pragma(`user_version = ${latest}`)
  }).immediate()
}

/**
 * Opens a store file: checks, before writing a byte, that it is empty or an evalaudit store
 * this version can read and that SQLite finds it sound (`quick_check`); then switches it to
 * WAL and migrates it. Throws a StoreError (or SQLite's own error for a file it cannot open).
 */
export const openStoreFile = (file: string, known: ReadonlyArray<Migration> = migrations): Database.Database => {
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS })
  try {
    try {
      admit(db, file, known)
    } catch (e) {
      if (e instanceof Error && "code" in e && e.code === "SQLITE_NOTADB") {
        throw new StoreError({ reason: "Foreign", message: `${file} is not an evalaudit store: it is not a SQLite database (or its header is damaged); it was left unchanged` })
      }
      if (isDamage(e)) throw damaged(file, message(e))
      throw e
    }
    db.pragma("journal_mode = WAL")
    db.pragma("synchronous = NORMAL")
    db.pragma("foreign_keys = ON")
    try {
      migrate(db, known)
    } catch (e) {
      if (e instanceof StoreError) throw e
      throw new StoreError({ reason: isDamage(e) ? "Damaged" : "Migrate", message: `cannot migrate store ${file}: ${message(e)}` })
    }
    return db
  } catch (e) {
    db.close()
    throw e
  }
}
