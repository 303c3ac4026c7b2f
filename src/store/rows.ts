// Records stored as JSON text in a `body` column (SQLite and PostgreSQL alike). A body is what this store wrote
// for the row's record type (JSON.stringify of a StateMachineRecord, HistoryEvent, ...; execution-row.ts and
// task-row.ts for the two whose fields are partly in columns), and migrations rewrite bodies with the schema:
// reading one back as that type is the store's own contract, stated here once instead of at each query.

import { parseJsonText } from "../util/json.ts";

type Row = Readonly<Record<string, unknown>>;

/** The record a body text holds (the text of a row's `body` column, kept aside). */
export function bodyText<T>(text: string): T {
  // Numbers keep their texts (`0.0` in a parked task's or a Map Run's data; util/json.ts).
  return parseJsonText(text) as T;
}

/** The record a row's `body` column holds. */
export function readBody<T>(row: Row): T {
  return bodyText<T>(String(row["body"]));
}

/** A body column parsed, or undefined for no row. */
export function parseBody<T>(row: Row | undefined): T | undefined {
  return row === undefined ? undefined : readBody<T>(row);
}

/** Bodies of every row. */
export function parseBodies<T>(rows: readonly Row[]): T[] {
  return rows.map((row) => readBody<T>(row));
}
