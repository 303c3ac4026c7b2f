// The Map Runs of the SQLite Store (map-runs.ts; tables of migration 8).
import type { SQLInputValue } from "node:sqlite";
import { limitsOf, withLimits } from "./map-runs.ts";
import type { MapRunChildRecord, MapRunLimits, MapRunRecord, MapRunStore } from "./map-runs.ts";
import { parseBodies, parseBody } from "./rows.ts";

type Row = Record<string, SQLInputValue>;

/** The statements of the SqliteStore, shared with it (one connection, one statement cache). */
export interface SqliteAccess {
  all(sql: string, ...params: SQLInputValue[]): Row[];
  get(sql: string, ...params: SQLInputValue[]): Row | undefined;
  run(sql: string, ...params: SQLInputValue[]): number;
  transaction<T>(work: () => T): T;
}



/** Map Runs in SQLite. Synchronous underneath: each method is atomic in this process. */
export class SqliteMapRuns implements MapRunStore {
  private readonly db: SqliteAccess;
  constructor(db: SqliteAccess) {
    this.db = db;
  }

  async saveMapRun(run: MapRunRecord, children: readonly MapRunChildRecord[]): Promise<MapRunLimits> {
    return this.db.transaction(() => {
      const existing = this.db.get("SELECT body FROM map_runs WHERE arn = ?", run.mapRunArn);
      const stored = parseBody<MapRunRecord>(existing);
      const saved = stored === undefined ? run : withLimits(run, limitsOf(stored));
      this.db.run(
        "INSERT INTO map_runs (arn, execution_arn, started_at, body) VALUES (?, ?, ?, ?) ON CONFLICT (arn) DO UPDATE SET body = excluded.body",
        run.mapRunArn, run.executionArn, run.startDate, JSON.stringify(saved),
      );
      for (const child of children) {
        this.db.run(
          "INSERT OR REPLACE INTO map_run_children (map_run_arn, idx, execution_arn, status, body) VALUES (?, ?, ?, ?, ?)",
          child.mapRunArn, child.index, child.express ? null : child.arn, child.status, JSON.stringify(child),
        );
      }
      return limitsOf(saved);
    });
  }

  async getMapRun(mapRunArn: string): Promise<MapRunRecord | undefined> {
    return parseBody(this.db.get("SELECT body FROM map_runs WHERE arn = ?", mapRunArn));
  }

  async listMapRuns(executionArn: string): Promise<MapRunRecord[]> {
    return parseBodies(this.db.all("SELECT body FROM map_runs WHERE execution_arn = ? ORDER BY started_at, arn", executionArn));
  }

  async updateMapRunLimits(mapRunArn: string, limits: Partial<MapRunLimits>): Promise<MapRunRecord | undefined> {
    return this.db.transaction(() => {
      const run = parseBody<MapRunRecord>(this.db.get("SELECT body FROM map_runs WHERE arn = ?", mapRunArn));
      if (run === undefined) return undefined;
      const updated = withLimits(run, limits);
      this.db.run("UPDATE map_runs SET body = ? WHERE arn = ?", JSON.stringify(updated), mapRunArn);
      return updated;
    });
  }

  async listMapRunChildren(mapRunArn: string, afterIndex: number, limit: number, reverse = false): Promise<MapRunChildRecord[]> {
    const sql = reverse
      ? "SELECT body FROM map_run_children WHERE map_run_arn = ? AND idx < ? ORDER BY idx DESC LIMIT ?"
      : "SELECT body FROM map_run_children WHERE map_run_arn = ? AND idx > ? ORDER BY idx LIMIT ?";
    return parseBodies(this.db.all(sql, mapRunArn, Math.min(afterIndex, Number.MAX_SAFE_INTEGER), limit));
  }

  async claimMapRunChildren(now: number, owner: string, leaseMs: number, limit: number): Promise<MapRunChildRecord[]> {
    return this.db.transaction(() => {
      const rows = this.db.all(
        `SELECT map_run_arn, idx, body FROM map_run_children
         WHERE status = 'PENDING' OR (status = 'RUNNING' AND lease_owner IS NOT NULL AND lease_owner <> ? AND lease_until <= ?)
         ORDER BY idx LIMIT ?`,
        owner, now, limit,
      );
      const claimed = parseBodies<MapRunChildRecord>(rows).map((child) => ({ ...child, status: "RUNNING" as const }));
      for (const child of claimed) {
        this.db.run(
          "UPDATE map_run_children SET status = 'RUNNING', lease_owner = ?, lease_until = ?, body = ? WHERE map_run_arn = ? AND idx = ?",
          owner, now + leaseMs, JSON.stringify(child), child.mapRunArn, child.index,
        );
      }
      return claimed;
    });
  }

  async releaseMapRunChild(mapRunArn: string, index: number): Promise<void> {
    this.db.run("UPDATE map_run_children SET lease_owner = NULL, lease_until = 0 WHERE map_run_arn = ? AND idx = ?", mapRunArn, index);
  }

  async cancelMapRunChild(mapRunArn: string, index: number, claimed = false): Promise<boolean> {
    const changed = this.db.run(
      `UPDATE map_run_children SET status = 'ABORTED', lease_owner = NULL, lease_until = 0, body = json_set(body, '$.status', 'ABORTED')
       WHERE map_run_arn = ? AND idx = ? AND (status = 'PENDING' OR (? AND status = 'RUNNING' AND execution_arn IS NULL))`,
      mapRunArn, index, claimed ? 1 : 0,
    );
    return changed > 0;
  }

  async endMapRunChildren(owner: string, children: readonly MapRunChildRecord[]): Promise<void> {
    this.db.transaction(() => {
      for (const child of children) {
        this.db.run(
          `UPDATE map_run_children SET status = ?, body = ?, lease_owner = NULL, lease_until = 0
           WHERE map_run_arn = ? AND idx = ? AND status = 'RUNNING' AND lease_owner = ?`,
          child.status, JSON.stringify(child), child.mapRunArn, child.index, owner,
        );
      }
    });
  }

  async endedMapRunChildren(mapRunArn: string, indexes: readonly number[]): Promise<MapRunChildRecord[]> {
    if (indexes.length === 0) return [];
    return parseBodies(
      this.db.all(
        `SELECT body FROM map_run_children WHERE map_run_arn = ? AND idx IN (SELECT value FROM json_each(?)) AND status NOT IN ('PENDING', 'RUNNING')`,
        mapRunArn, JSON.stringify(indexes),
      ),
    );
  }

  async renewMapRunChildLeases(owner: string, until: number): Promise<void> {
    this.db.run("UPDATE map_run_children SET lease_until = ? WHERE lease_owner = ? AND status = 'RUNNING'", until, owner);
  }

  async releaseMapRunChildClaims(owner: string): Promise<void> {
    this.db.run(
      `UPDATE map_run_children SET status = 'PENDING', lease_owner = NULL, lease_until = 0, body = json_set(body, '$.status', 'PENDING')
       WHERE lease_owner = ? AND status = 'RUNNING'`,
      owner,
    );
  }

  async mapRunOfChild(executionArn: string): Promise<string | undefined> {
    const row = this.db.get("SELECT map_run_arn FROM map_run_children WHERE execution_arn = ?", executionArn);
    return row === undefined ? undefined : String(row["map_run_arn"]);
  }
}
