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
  /** The NOTIFY channel on which the end of an execution is announced (raw, unquoted). */
  endedChannel: string;
  triggerFires: string;
  mapRuns: string;
  mapRunChildren: string;
}

/** The tables of the store in `schema` (quoted, so any schema name is safe in SQL). */
export function tablesIn(schema: string): Tables {
  const s = escapeIdentifier(schema);
  return {
    schema: s,
    machines: `${s}.machines`, revisions: `${s}.revisions`, versions: `${s}.versions`, aliases: `${s}.aliases`,
    tags: `${s}.tags`, activities: `${s}.activities`, executions: `${s}.executions`, events: `${s}.events`,
    timers: `${s}.timers`, tasks: `${s}.tasks`, outbox: `${s}.outbox`, migrations: `${s}.schema_migrations`,
    triggerFires: `${s}.trigger_fires`, mapRuns: `${s}.map_runs`, mapRunChildren: `${s}.map_run_children`,
    endedChannel: `stepwright_ended_${fnv1a(schema)}`,
  };
}

/**
 * A short hash of the schema name: a channel name must fit in 63 bytes whatever the schema's name. Two schemas
 * that collide only wake each other's listeners, which read the store before acting.
 */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}
