// The PostgreSQL tables of the durable store: the SQLite tables in a schema of their own, so several stores (or
// test runs) can share a database. Records are JSON text bodies beside the columns queries need (TEXT, not JSONB:
// bodies come back byte for byte, with their key order, as in SQLite). The DDL is in postgres-migrations.ts.
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
  outbox: string;
  migrations: string;
  triggerFires: string;
}

/** The tables of the store in `schema` (quoted, so any schema name is safe in SQL). */
export function tablesIn(schema: string): Tables {
  const s = escapeIdentifier(schema);
  return {
    schema: s,
    machines: `${s}.machines`, revisions: `${s}.revisions`, versions: `${s}.versions`, aliases: `${s}.aliases`,
    tags: `${s}.tags`, activities: `${s}.activities`, executions: `${s}.executions`, events: `${s}.events`,
    timers: `${s}.timers`, tasks: `${s}.tasks`, outbox: `${s}.outbox`, migrations: `${s}.schema_migrations`,
    triggerFires: `${s}.trigger_fires`,
  };
}
