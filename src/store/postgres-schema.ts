// The PostgreSQL schema of the durable store: the SQLite tables (sqlite-schema.ts) in a schema of their own, so
// several stores (or test runs) can share a database. Records are JSON text bodies beside the columns queries need
// (TEXT, not JSONB: bodies come back byte for byte, with their key order, as in SQLite).
import { escapeIdentifier } from "pg";

/** The qualified names of the store's tables in one schema. */
export interface Tables {
  schema: string;
  machines: string;
  revisions: string;
  versions: string;
  aliases: string;
  tags: string;
  activities: string;
  executions: string;
  events: string;
  timers: string;
  tasks: string;
}

/** The tables of the store in `schema` (quoted, so any schema name is safe in SQL). */
export function tablesIn(schema: string): Tables {
  const s = escapeIdentifier(schema);
  return {
    schema: s,
    machines: `${s}.machines`, revisions: `${s}.revisions`, versions: `${s}.versions`, aliases: `${s}.aliases`,
    tags: `${s}.tags`, activities: `${s}.activities`, executions: `${s}.executions`, events: `${s}.events`,
    timers: `${s}.timers`, tasks: `${s}.tasks`,
  };
}

/**
 * DDL run at open; idempotent. Names and ARNs sort with COLLATE "C" (byte order), as SQLite sorts them, so pages
 * come in the same order whatever the database's locale.
 */
export function postgresSchema(t: Tables): string {
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
