// The SQLite schema of the durable store. Records are JSON bodies beside the columns queries need.
/** DDL run at open; idempotent. */
export const SQLITE_SCHEMA = `
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
