// The SQLite schema of the durable store, as numbered migrations (migrations.ts): records are JSON bodies beside
// the columns queries need. To change the schema, append a migration to SQLITE_MIGRATIONS (and its twin to
// POSTGRES_MIGRATIONS in postgres-migrations.ts); never edit one that has shipped: databases already applied it.
import type { DatabaseSync } from "node:sqlite";
import { pendingMigrations } from "./migrations.ts";
import type { Migration } from "./migrations.ts";

/** A step of the SQLite schema: SQL, or a function for steps that move data. Runs inside the migration transaction. */
export interface SqliteMigration extends Migration {
  readonly up: string | ((db: DatabaseSync) => void);
}

/**
 * The schema as it was before numbered migrations (every statement IF NOT EXISTS): a database of that time has
 * these tables already and gets version 1 recorded; a new database gets them created.
 */
const BASELINE = `
CREATE TABLE IF NOT EXISTS machines (arn TEXT PRIMARY KEY, name TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS revisions (revision_id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS versions (arn TEXT PRIMARY KEY, machine_arn TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS versions_by_machine ON versions (machine_arn, version);
CREATE TABLE IF NOT EXISTS aliases (arn TEXT PRIMARY KEY, machine_arn TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS aliases_by_machine ON aliases (machine_arn, name);
CREATE TABLE IF NOT EXISTS tags (resource_arn TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS activities (arn TEXT PRIMARY KEY, name TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS executions (
  arn TEXT PRIMARY KEY,
  machine_arn TEXT NOT NULL,
  version_arn TEXT,
  alias_arn TEXT,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  version INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS executions_by_machine ON executions (machine_arn, started_at DESC);
CREATE INDEX IF NOT EXISTS executions_by_status ON executions (status, started_at);
CREATE TABLE IF NOT EXISTS events (
  execution_arn TEXT NOT NULL,
  id INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (execution_arn, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS timers (
  execution_arn TEXT NOT NULL,
  timer_id TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (execution_arn, timer_id)
);
CREATE INDEX IF NOT EXISTS timers_by_due ON timers (due_at);
CREATE TABLE IF NOT EXISTS tasks (
  execution_arn TEXT NOT NULL,
  task_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  token TEXT,
  activity_arn TEXT,
  claimed_at INTEGER,
  handed_off INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (execution_arn, task_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS tasks_by_token ON tasks (token) WHERE token IS NOT NULL;
CREATE INDEX IF NOT EXISTS tasks_by_activity ON tasks (activity_arn, claimed_at, created_at);
CREATE INDEX IF NOT EXISTS tasks_by_kind ON tasks (kind, handed_off);
`;

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  { version: 1, name: "baseline: the tables before numbered migrations", up: BASELINE },
  {
    version: 2,
    name: "executions: the engine state in a column of its own, with its format",
    // json_extract gives the state's text back as it was stored; json_remove keeps the body's key order. Every
    // state written before this step is the engine's format 1.
    up: `
ALTER TABLE executions ADD COLUMN state TEXT NOT NULL DEFAULT 'null';
ALTER TABLE executions ADD COLUMN state_format INTEGER NOT NULL DEFAULT 1;
UPDATE executions SET state = json_extract(body, '$.state'), body = json_remove(body, '$.state');
`,
  },
  {
    version: 3,
    name: "trigger_fires: the fires of serve's schedule triggers",
    up: `
CREATE TABLE trigger_fires (
  trigger TEXT NOT NULL,
  fire_time INTEGER NOT NULL,
  owner TEXT NOT NULL,
  claimed_at INTEGER NOT NULL,
  PRIMARY KEY (trigger, fire_time)
) WITHOUT ROWID;
`,
  },
  {
    version: 4,
    name: "tasks: the lease of the node running a task, and its dispatch count",
    up: `
ALTER TABLE tasks ADD COLUMN lease_owner TEXT;
ALTER TABLE tasks ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN dispatches INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tasks_to_claim ON tasks (lease_until) WHERE kind = 'dispatch' AND handed_off = 0;
`,
  },
  {
    version: 5,
    name: "outbox: execution status change events to send (serve --events-url)",
    up: `CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  due_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL
);
CREATE INDEX outbox_by_due ON outbox (due_at);`,
  },
  {
    version: 6,
    name: "indexes: executions by machine and status in start order, timers by lease (issue 13)",
    // ListExecutions orders by (started_at DESC, arn DESC): with the status in the index, a page of a machine's
    // RUNNING executions is read in order, not sorted. The next due timer is read from two indexes (due_at for
    // free timers, lease_until for leased ones) instead of a scan of every timer once a second.
    up: `
CREATE INDEX executions_by_machine_status ON executions (machine_arn, status, started_at DESC, arn DESC);
CREATE INDEX timers_by_lease ON timers (lease_until);
`,
  },
  {
    version: 7,
    name: "executions: the last event id in a column; tasks: fewer indexes to write (issue 13, the durable commit)",
    // A decision's commit then updates the state, version and last event id columns in place, without reading and
    // rewriting the JSON body. Each task row is inserted and deleted once per Task: tasks_by_kind served no query
    // (tasks_to_claim covers dispatch tasks), and only activity tasks need tasks_by_activity.
    up: `
ALTER TABLE executions ADD COLUMN last_event_id INTEGER NOT NULL DEFAULT 0;
UPDATE executions SET last_event_id = coalesce(json_extract(body, '$.lastEventId'), 0);
DROP INDEX tasks_by_kind;
DROP INDEX tasks_by_activity;
CREATE INDEX tasks_by_activity ON tasks (activity_arn, claimed_at, created_at) WHERE activity_arn IS NOT NULL;
`,
  },
  {
    version: 8,
    name: "map runs and their children (durable Map Runs, issue 10)",
    // A Map Run's record, and its children by index (item order); `execution_arn` of a child is set for STANDARD
    // children only (DescribeExecution's mapRunArn), so a 1,000,000-item EXPRESS run adds no row to that index.
    up: `
CREATE TABLE map_runs (arn TEXT PRIMARY KEY, execution_arn TEXT NOT NULL, started_at INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX map_runs_by_execution ON map_runs (execution_arn, started_at, arn);
CREATE TABLE map_run_children (
  map_run_arn TEXT NOT NULL,
  idx INTEGER NOT NULL,
  execution_arn TEXT,
  status TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (map_run_arn, idx)
);
CREATE INDEX map_run_children_by_execution ON map_run_children (execution_arn) WHERE execution_arn IS NOT NULL;
`,
  },
  {
    version: 9,
    name: "map run children claimed with leases (children spread over the nodes, issue 10)",
    // A PENDING child is claimed by a node, which holds a lease on it until its execution exists.
    up: `
ALTER TABLE map_run_children ADD COLUMN lease_owner TEXT;
ALTER TABLE map_run_children ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
CREATE INDEX map_run_children_to_claim ON map_run_children (status, lease_until) WHERE status IN ('PENDING', 'RUNNING');
`,
  },
  {
    version: 10,
    name: "history_events: events keyed by a number per execution, given in start order (issue 13, the durable commit)",
    // Keyed by the execution's ARN (random text), each execution's events went to their own place in the middle of
    // the B-tree: a commit rewrote leaf and interior pages all over it (~13 WAL pages per Standard execution). Keyed
    // by a number given to each execution in start order, new executions' events append at the tree's end. The
    // number is a column of its own (not the rowid, which VACUUM may renumber); events of no execution are dropped.
    up: `
ALTER TABLE executions ADD COLUMN events_key INTEGER;
UPDATE executions SET events_key = rowid;
CREATE UNIQUE INDEX executions_by_events_key ON executions (events_key);
CREATE TABLE history_events (
  execution_key INTEGER NOT NULL,
  id INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (execution_key, id)
) WITHOUT ROWID;
INSERT INTO history_events (execution_key, id, body)
  SELECT x.events_key, e.id, e.body FROM events e JOIN executions x ON x.arn = e.execution_arn ORDER BY x.events_key, e.id;
DROP TABLE events;
`,
  },
];

/**
 * Brings the database at `where` to the newest schema: applies the migrations it lacks, in order, in one
 * transaction, each recorded in schema_migrations. Throws SchemaTooNewError for a database of a newer Stepwright.
 */
export function migrateSqlite(db: DatabaseSync, where: string, migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS): void {
  // IMMEDIATE: a second process opening the same file waits (busy_timeout) instead of migrating it twice.
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    const applied = db.prepare("SELECT version FROM schema_migrations").all().map((row) => Number(row["version"]));
    const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    for (const migration of pendingMigrations(migrations, applied, where)) {
      if (typeof migration.up === "string") db.exec(migration.up);
      else migration.up(db);
      record.run(migration.version, migration.name, Date.now());
    }
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
