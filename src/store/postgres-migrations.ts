// The PostgreSQL schema of the durable store, as numbered migrations (migrations.ts), the twins of the SQLite ones
// (sqlite-migrations.ts): same versions, same meaning. To change the schema, append a migration to both lists;
// never edit one that has shipped: databases already applied it.
import type { Db } from "./postgres-db.ts";
import type { Tables } from "./postgres-schema.ts";
import { pendingMigrations } from "./migrations.ts";
import type { Migration } from "./migrations.ts";

/** A step of the PostgreSQL schema, run inside the migration transaction: DDL text, or a function that moves data. */
export interface PostgresMigration extends Migration {
  readonly up: (t: Tables) => string | ((db: Db) => Promise<void>);
}

/**
 * The schema as it was before numbered migrations (every statement IF NOT EXISTS): a database of that time has
 * these tables already and gets version 1 recorded. Names and ARNs sort with COLLATE "C" (byte order), as SQLite
 * sorts them, so pages come in the same order whatever the database's locale.
 */
function baseline(t: Tables): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${t.schema};
CREATE TABLE IF NOT EXISTS ${t.machines} (arn TEXT PRIMARY KEY, name TEXT COLLATE "C" NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ${t.revisions} (revision_id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ${t.versions} (arn TEXT PRIMARY KEY, machine_arn TEXT NOT NULL, version BIGINT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS versions_by_machine ON ${t.versions} (machine_arn, version);
CREATE TABLE IF NOT EXISTS ${t.aliases} (arn TEXT PRIMARY KEY, machine_arn TEXT NOT NULL, name TEXT COLLATE "C" NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS aliases_by_machine ON ${t.aliases} (machine_arn, name);
CREATE TABLE IF NOT EXISTS ${t.tags} (resource_arn TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ${t.activities} (arn TEXT PRIMARY KEY, name TEXT COLLATE "C" NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ${t.executions} (
  arn TEXT COLLATE "C" PRIMARY KEY,
  machine_arn TEXT NOT NULL,
  version_arn TEXT,
  alias_arn TEXT,
  status TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS executions_by_machine ON ${t.executions} (machine_arn, started_at DESC);
CREATE INDEX IF NOT EXISTS executions_by_status ON ${t.executions} (status, started_at);
CREATE TABLE IF NOT EXISTS ${t.events} (
  execution_arn TEXT NOT NULL,
  id BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (execution_arn, id)
);
CREATE TABLE IF NOT EXISTS ${t.timers} (
  execution_arn TEXT NOT NULL,
  timer_id TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (execution_arn, timer_id)
);
CREATE INDEX IF NOT EXISTS timers_by_due ON ${t.timers} (due_at);
CREATE TABLE IF NOT EXISTS ${t.tasks} (
  execution_arn TEXT NOT NULL,
  task_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  token TEXT,
  activity_arn TEXT,
  claimed_at BIGINT,
  handed_off BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (execution_arn, task_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS tasks_by_token ON ${t.tasks} (token) WHERE token IS NOT NULL;
CREATE INDEX IF NOT EXISTS tasks_by_activity ON ${t.tasks} (activity_arn, claimed_at, created_at);
CREATE INDEX IF NOT EXISTS tasks_by_kind ON ${t.tasks} (kind, handed_off);
`;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  { version: 1, name: "baseline: the tables before numbered migrations", up: baseline },
  { version: 2, name: "executions: the engine state in a column of its own, with its format", up: (t) => (db) => stateColumn(db, t) },
  {
    version: 3,
    name: "trigger_fires: the fires of serve's schedule triggers",
    up: (t) => `CREATE TABLE ${t.triggerFires} (
  trigger TEXT NOT NULL,
  fire_time BIGINT NOT NULL,
  owner TEXT NOT NULL,
  claimed_at BIGINT NOT NULL,
  PRIMARY KEY (trigger, fire_time)
);`,
  },
  {
    version: 4,
    name: "tasks: the lease of the node running a task, and its dispatch count",
    up: (t) => `
ALTER TABLE ${t.tasks} ADD COLUMN lease_owner TEXT, ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN dispatches INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tasks_to_claim ON ${t.tasks} (lease_until) WHERE kind = 'dispatch' AND NOT handed_off;
`,
  },
  {
    version: 5,
    name: "outbox: execution status change events to send (serve --events-url)",
    up: (t) => `CREATE TABLE ${t.outbox} (
  id TEXT PRIMARY KEY,
  due_at BIGINT NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL
);
CREATE INDEX outbox_by_due ON ${t.outbox} (due_at);`,
  },
  {
    version: 6,
    name: "indexes: executions by machine and status in start order, timers by lease (issue 13)",
    // As in sqlite-migrations.ts: a page of a machine's executions of one status is read in order from the index
    // (148 ms with 100,000 parked executions without it), and the next due timer from two indexes.
    up: (t) => `
CREATE INDEX executions_by_machine_status ON ${t.executions} (machine_arn, status, started_at DESC, arn DESC);
CREATE INDEX timers_by_lease ON ${t.timers} (lease_until);
`,
  },
  {
    version: 7,
    name: "executions: the last event id in a column; tasks: fewer indexes to write (issue 13, the durable commit)",
    // As SQLite's migration 7: a decision's commit updates columns in place; tasks_by_kind served no query, and only
    // activity tasks need tasks_by_activity. The id is read from the body's text, not through jsonb, which cannot
    // hold \u0000 (see migration 2); a body is JSON.stringify's, where that key appears once, at the top.
    up: (t) => `
ALTER TABLE ${t.executions} ADD COLUMN last_event_id BIGINT NOT NULL DEFAULT 0;
UPDATE ${t.executions} SET last_event_id = coalesce(substring(body from '"lastEventId":([0-9]+)')::bigint, 0);
DROP INDEX ${t.schema}.tasks_by_kind;
DROP INDEX ${t.schema}.tasks_by_activity;
CREATE INDEX tasks_by_activity ON ${t.tasks} (activity_arn, claimed_at, created_at) WHERE activity_arn IS NOT NULL;
`,
  },
  {
    version: 8,
    name: "map runs and their children (durable Map Runs, issue 10)",
    // As in sqlite-migrations.ts.
    up: (t) => `
CREATE TABLE ${t.mapRuns} (arn TEXT PRIMARY KEY, execution_arn TEXT NOT NULL, started_at BIGINT NOT NULL, body TEXT NOT NULL);
CREATE INDEX map_runs_by_execution ON ${t.mapRuns} (execution_arn, started_at, arn);
CREATE TABLE ${t.mapRunChildren} (
  map_run_arn TEXT NOT NULL,
  idx INTEGER NOT NULL,
  execution_arn TEXT,
  status TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (map_run_arn, idx)
);
CREATE INDEX map_run_children_by_execution ON ${t.mapRunChildren} (execution_arn) WHERE execution_arn IS NOT NULL;
`,
  },
  {
    version: 9,
    name: "map run children claimed with leases (children spread over the nodes, issue 10)",
    // As in sqlite-migrations.ts.
    up: (t) => `
ALTER TABLE ${t.mapRunChildren} ADD COLUMN lease_owner TEXT, ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
CREATE INDEX map_run_children_to_claim ON ${t.mapRunChildren} (status, lease_until) WHERE status IN ('PENDING', 'RUNNING');
`,
  },
  {
    version: 10,
    name: "history_events: events keyed by a number per execution (SQLite only; PostgreSQL keeps its events table)",
    // SQLite's migration 10 moves events out of a WITHOUT ROWID table keyed by the random ARN, whose rows are the
    // B-tree itself. PostgreSQL's events are a heap that appends; only their index is keyed by the ARN. The step is
    // here so both lists keep the same numbers (migrations.test.ts), and changes nothing.
    up: () => "SELECT 1",
  },
];

/**
 * Migration 2. The state moves out of the body in JavaScript, a batch at a time, rather than through jsonb (which
 * would reorder the body's keys and cannot hold \u0000). Every state written before this step is format 1.
 */
async function stateColumn(db: Db, t: Tables): Promise<void> {
  await db.run(`ALTER TABLE ${t.executions} ADD COLUMN state TEXT, ADD COLUMN state_format INTEGER NOT NULL DEFAULT 1`);
  for (;;) {
    const rows = await db.all(`SELECT arn, body FROM ${t.executions} WHERE state IS NULL LIMIT 500`);
    if (rows.length === 0) break;
    const arns: string[] = [];
    const states: string[] = [];
    const bodies: string[] = [];
    for (const row of rows) {
      const body = JSON.parse(String(row["body"])) as Record<string, unknown>;
      const state = body["state"];
      delete body["state"];
      arns.push(String(row["arn"]));
      states.push(typeof state === "string" ? state : "null");
      bodies.push(JSON.stringify(body));
    }
    await db.run(
      `UPDATE ${t.executions} AS e SET state = x.state, body = x.body FROM unnest($1::text[], $2::text[], $3::text[]) AS x(arn, state, body)
       WHERE e.arn = x.arn`,
      arns, states, bodies,
    );
  }
  await db.run(`ALTER TABLE ${t.executions} ALTER COLUMN state SET NOT NULL`);
}

/**
 * Brings the schema to the newest version, inside the caller's transaction: applies the migrations it lacks, in
 * order, each recorded in schema_migrations. Throws SchemaTooNewError for a schema of a newer Stepwright. Nodes
 * starting together take an advisory lock first: only one migrates, the others then find it done.
 */
export async function migratePostgres(db: Db, t: Tables, where: string, migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS): Promise<void> {
  await db.run("SELECT pg_advisory_xact_lock(hashtext($1))", t.schema);
  await db.run(`CREATE SCHEMA IF NOT EXISTS ${t.schema}`);
  await db.run(`CREATE TABLE IF NOT EXISTS ${t.migrations} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
  const applied = (await db.all(`SELECT version FROM ${t.migrations}`)).map((row) => Number(row["version"]));
  for (const migration of pendingMigrations(migrations, applied, where)) {
    const step = migration.up(t);
    if (typeof step === "string") await db.run(step);
    else await step(db);
    await db.run(`INSERT INTO ${t.migrations} (version, name, applied_at) VALUES ($1, $2, $3)`, migration.version, migration.name, Date.now());
  }
}
