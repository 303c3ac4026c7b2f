// Records stored as JSON text in a `body` column (SQLite and PostgreSQL alike).

/** A body column parsed, or undefined for no row. */
export function parseBody<T>(row: Record<string, unknown> | undefined): T | undefined {
  return row === undefined ? undefined : (JSON.parse(String(row["body"])) as T);
}

/** Bodies of every row. */
export function parseBodies<T>(rows: readonly Record<string, unknown>[]): T[] {
  return rows.map((r) => JSON.parse(String(r["body"])) as T);
}
