// The few calls the PostgreSQL store makes: rows, first row and changed-row count, on the pool or on one client
// inside a transaction.
import type { Pool, PoolClient, QueryResult } from "pg";

export type Row = Record<string, unknown>;
type Query = (sql: string, params: readonly unknown[]) => Promise<QueryResult<Row>>;

/** Queries on a pool (each its own implicit transaction) or on a transaction's client. */
export class Db {
  private readonly query: Query;
  constructor(query: Query) {
    this.query = query;
  }
  async all(sql: string, ...params: unknown[]): Promise<Row[]> {
    return (await this.query(sql, params)).rows;
  }
  async get(sql: string, ...params: unknown[]): Promise<Row | undefined> {
    return (await this.query(sql, params)).rows[0];
  }
  async run(sql: string, ...params: unknown[]): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }
}

/** A Db whose queries each take any pooled connection. */
export function poolDb(pool: Pool): Db {
  return new Db((sql, params) => pool.query<Row>(sql, [...params]));
}

/** Runs `work` in one transaction (READ COMMITTED: row locks and compare-and-swap conditions do the isolating). */
export async function inTransaction<T>(pool: Pool, work: (db: Db) => Promise<T>): Promise<T> {
  const client: PoolClient = await pool.connect();
  // A client whose ROLLBACK failed is in an unknown state: it is destroyed rather than returned to the pool.
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(new Db((sql, params) => client.query<Row>(sql, [...params])));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

export { parseBodies, parseBody } from "./rows.ts";
