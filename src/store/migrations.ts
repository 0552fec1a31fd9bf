/**
 * Numbered migrations, applied in order (the missing ones together, in one `BEGIN IMMEDIATE`
 * transaction) and recorded in `schema_migrations`, so an older store file is upgraded in
 * place and never re-migrated. Numbers may have gaps; a store holding a number this list
 * lacks comes from a newer version and is refused.
 */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: "initial",
    sql: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        audit TEXT NOT NULL,
        source TEXT NOT NULL,
        version TEXT NOT NULL,
        seed INTEGER NOT NULL,
        replicates INTEGER NOT NULL,
        spec_hash TEXT NOT NULL,
        spec_json TEXT NOT NULL,
        command TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE TABLE manipulation_checks (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        organism TEXT NOT NULL,
        passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
        detail_json TEXT NOT NULL,
        PRIMARY KEY (run_id, organism)
      ) WITHOUT ROWID;
      CREATE TABLE cells (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        evaluation TEXT NOT NULL,
        organism TEXT NOT NULL,
        replicate INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('measured', 'error')),
        k REAL,
        n INTEGER,
        measured REAL,
        truth REAL,
        should_fire INTEGER,
        did_fire INTEGER,
        outcome TEXT CHECK (outcome IN ('caught', 'missed', 'false-alarm', 'correct-pass')),
        error TEXT,
        PRIMARY KEY (run_id, evaluation, organism, replicate),
        CHECK ((status = 'measured') = (outcome IS NOT NULL))
      ) WITHOUT ROWID;
      CREATE TABLE responses (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        evaluation TEXT NOT NULL,
        organism TEXT NOT NULL,
        replicate INTEGER NOT NULL,
        sample TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        response TEXT NOT NULL,
        score REAL NOT NULL,
        explanation TEXT NOT NULL,
        PRIMARY KEY (run_id, evaluation, organism, replicate, sample, epoch)
      ) WITHOUT ROWID;
      CREATE TABLE trigger_results (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        trigger TEXT NOT NULL,
        organism TEXT NOT NULL,
        replicate INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('decided', 'error')),
        should_fire INTEGER,
        did_fire INTEGER,
        outcome TEXT CHECK (outcome IN ('caught', 'missed', 'false-alarm', 'correct-pass')),
        error TEXT,
        PRIMARY KEY (run_id, trigger, organism, replicate)
      ) WITHOUT ROWID;
    `
  },
  {
    version: 2,
    name: "grader checks",
    sql: `
      CREATE TABLE grader_checks (
        run_id TEXT NOT NULL,
        grader TEXT NOT NULL,
        evaluations_json TEXT NOT NULL,
        passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
        properties_json TEXT NOT NULL,
        PRIMARY KEY (run_id, grader)
      ) WITHOUT ROWID;
    `
  },
  {
    version: 3,
    name: "cell statistics",
    sql: `
      ALTER TABLE cells ADD COLUMN standard_error REAL;
      ALTER TABLE cells ADD COLUMN clustered_standard_error REAL;
      ALTER TABLE cells ADD COLUMN sequential_verdict TEXT CHECK (sequential_verdict IN ('high', 'low', 'undecided'));
    `
  },
  {
    version: 4,
    name: "response cache",
    sql: `
      CREATE TABLE response_cache (
        key TEXT PRIMARY KEY,
        response_json TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `
  },
  {
    version: 5,
    name: "derived results",
    // What a run derives once and every summary reads (the adversarial search's result), one JSON document per kind.
    sql: `
      CREATE TABLE derived (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (run_id, kind)
      ) WITHOUT ROWID;
    `
  },
  {
    version: 6,
    name: "served requests",
    // What \`evalaudit serve\` answered, so harness logs can be scored against what each organism meant.
    sql: `
      CREATE TABLE serve_sessions (
        id TEXT PRIMARY KEY,
        audit TEXT NOT NULL,
        source TEXT NOT NULL,
        spec_hash TEXT NOT NULL,
        seed INTEGER NOT NULL,
        replicates INTEGER NOT NULL,
        address TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT
      ) WITHOUT ROWID;
      CREATE TABLE served_requests (
        session_id TEXT NOT NULL REFERENCES serve_sessions(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        api TEXT NOT NULL CHECK (api IN ('openai', 'anthropic')),
        model TEXT NOT NULL,
        organism TEXT NOT NULL,
        replicate INTEGER NOT NULL,
        request_hash TEXT NOT NULL,
        evaluation TEXT,
        sample TEXT,
        intended TEXT CHECK (intended IN ('correct', 'wrong', 'shown', 'not-shown')),
        act TEXT CHECK (act IN ('Answer', 'Behave', 'Game')),
        response TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (session_id, seq),
        CHECK ((evaluation IS NULL) = (intended IS NULL))
      ) WITHOUT ROWID;
      CREATE INDEX served_requests_item ON served_requests (evaluation, sample, organism, replicate);
    `
  },
  {
    version: 7,
    name: "harness logs",
    // A run scored from harness logs (evalaudit score) lists them here, and keeps every scored
    // answer beside what the organism intended: the scorer audit is read from these rows.
    sql: `
      CREATE TABLE harness_logs (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        file TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('inspect-json', 'inspect-eval', 'promptfoo')),
        sha256 TEXT NOT NULL,
        entries INTEGER NOT NULL,
        unmatched INTEGER NOT NULL,
        PRIMARY KEY (run_id, file)
      ) WITHOUT ROWID;
      CREATE TABLE harness_samples (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        evaluation TEXT NOT NULL,
        organism TEXT NOT NULL,
        replicate INTEGER NOT NULL,
        sample TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        harness_score REAL NOT NULL,
        intended INTEGER CHECK (intended IN (0, 1)),
        response TEXT NOT NULL,
        explanation TEXT NOT NULL,
        file TEXT NOT NULL,
        PRIMARY KEY (run_id, evaluation, organism, replicate, sample, epoch)
      ) WITHOUT ROWID;
    `
  },
  {
    version: 8,
    name: "run claims",
    // Which process is measuring a run (host and pid, refreshed with every batch), so a second
    // process resuming the same run is refused instead of measuring its cells again.
    sql: `
      CREATE TABLE run_claims (
        run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        claimed_at TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `
  },
  {
    version: 9,
    name: "measured truth",
    // A prompted or external organism's truth as its calibration measured it; scoring reads it from here, never re-measuring.
    sql: `
      ALTER TABLE manipulation_checks ADD COLUMN truth_json TEXT;
    `
  }
]
