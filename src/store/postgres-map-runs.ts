// The Map Runs of the PostgreSQL Store (map-runs.ts; tables of migration 8). Several nodes may write one Map Run's
// record: its row is locked (FOR UPDATE) while its limits are read and kept.
import { limitsOf, withLimits } from "./map-runs.ts";
import type { MapRunChildRecord, MapRunLimits, MapRunRecord, MapRunStore } from "./map-runs.ts";
import type { Db } from "./postgres-db.ts";
import { parseBodies, parseBody } from "./postgres-db.ts";
import type { Tables } from "./postgres-schema.ts";

/** How the PostgresStore lends its connections: the pool, or one transaction. */
export interface PostgresAccess {
  db(): Promise<Db>;
  transaction<T>(work: (db: Db) => Promise<T>): Promise<T>;
}

/** Map Runs in PostgreSQL. */
export class PostgresMapRuns implements MapRunStore {
  private readonly access: PostgresAccess;
  private readonly t: Tables;
  constructor(access: PostgresAccess, tables: Tables) {
    this.access = access;
    this.t = tables;
  }

  async saveMapRun(run: MapRunRecord, children: readonly MapRunChildRecord[]): Promise<MapRunLimits> {
    return this.access.transaction(async (db) => {
      const existing = parseBody<MapRunRecord>(await db.get(`SELECT body FROM ${this.t.mapRuns} WHERE arn = $1 FOR UPDATE`, run.mapRunArn));
      const saved = existing === undefined ? run : withLimits(run, limitsOf(existing));
      await db.run(
        `INSERT INTO ${this.t.mapRuns} (arn, execution_arn, started_at, body) VALUES ($1, $2, $3, $4) ON CONFLICT (arn) DO UPDATE SET body = EXCLUDED.body`,
        run.mapRunArn, run.executionArn, run.startDate, JSON.stringify(saved),
      );
      if (children.length > 0) {
        // One statement for the batch (a 1,000,000-item run writes its children a few hundred at a time).
        await db.run(
          `INSERT INTO ${this.t.mapRunChildren} (map_run_arn, idx, execution_arn, status, body)
           SELECT $1, x.idx, x.execution_arn, x.status, x.body FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS x(idx, execution_arn, status, body)
           ON CONFLICT (map_run_arn, idx) DO UPDATE SET execution_arn = EXCLUDED.execution_arn, status = EXCLUDED.status, body = EXCLUDED.body`,
          run.mapRunArn,
          children.map((c) => c.index),
          children.map((c) => (c.express ? null : c.arn)),
          children.map((c) => c.status),
          children.map((c) => JSON.stringify(c)),
        );
      }
      return limitsOf(saved);
    });
  }

  async getMapRun(mapRunArn: string): Promise<MapRunRecord | undefined> {
    const db = await this.access.db();
    return parseBody(await db.get(`SELECT body FROM ${this.t.mapRuns} WHERE arn = $1`, mapRunArn));
  }

  async listMapRuns(executionArn: string): Promise<MapRunRecord[]> {
    const db = await this.access.db();
    return parseBodies(await db.all(`SELECT body FROM ${this.t.mapRuns} WHERE execution_arn = $1 ORDER BY started_at, arn`, executionArn));
  }

  async updateMapRunLimits(mapRunArn: string, limits: Partial<MapRunLimits>): Promise<MapRunRecord | undefined> {
    return this.access.transaction(async (db) => {
      const run = parseBody<MapRunRecord>(await db.get(`SELECT body FROM ${this.t.mapRuns} WHERE arn = $1 FOR UPDATE`, mapRunArn));
      if (run === undefined) return undefined;
      const updated = withLimits(run, limits);
      await db.run(`UPDATE ${this.t.mapRuns} SET body = $1 WHERE arn = $2`, JSON.stringify(updated), mapRunArn);
      return updated;
    });
  }

  async listMapRunChildren(mapRunArn: string, afterIndex: number, limit: number, reverse = false): Promise<MapRunChildRecord[]> {
    const db = await this.access.db();
    const sql = reverse
      ? `SELECT body FROM ${this.t.mapRunChildren} WHERE map_run_arn = $1 AND idx < $2 ORDER BY idx DESC LIMIT $3`
      : `SELECT body FROM ${this.t.mapRunChildren} WHERE map_run_arn = $1 AND idx > $2 ORDER BY idx LIMIT $3`;
    // idx is an INTEGER: "no bound" is its largest value.
    return parseBodies(await db.all(sql, mapRunArn, Math.max(-1, Math.min(afterIndex, 2_147_483_647)), limit));
  }

  async claimMapRunChildren(now: number, owner: string, leaseMs: number, limit: number): Promise<MapRunChildRecord[]> {
    // SKIP LOCKED: nodes claiming at once take different children.
    // Committed without waiting for the disk (synchronous_commit off): a claim lost with a crash of the database
    // leaves the child PENDING, to be claimed again, and later commits (its end) flush it.
    const rows = await this.access.transaction(async (db) => {
      await db.run("SET LOCAL synchronous_commit = off");
      return db.all(
      `UPDATE ${this.t.mapRunChildren} AS c SET status = 'RUNNING', lease_owner = $1, lease_until = $2, body = jsonb_set(c.body::jsonb, '{status}', '"RUNNING"')::text
       FROM (SELECT map_run_arn, idx FROM ${this.t.mapRunChildren}
             WHERE status = 'PENDING' OR (status = 'RUNNING' AND lease_owner IS NOT NULL AND lease_owner <> $1 AND lease_until <= $3)
             ORDER BY idx LIMIT $4 FOR UPDATE SKIP LOCKED) AS x
       WHERE c.map_run_arn = x.map_run_arn AND c.idx = x.idx
       RETURNING c.body`,
      owner, now + leaseMs, now, limit,
      );
    });
    return parseBodies<MapRunChildRecord>(rows).sort((a, b) => a.index - b.index);
  }

  async releaseMapRunChild(mapRunArn: string, index: number): Promise<void> {
    const db = await this.access.db();
    await db.run(`UPDATE ${this.t.mapRunChildren} SET lease_owner = NULL, lease_until = 0 WHERE map_run_arn = $1 AND idx = $2`, mapRunArn, index);
  }

  async cancelMapRunChild(mapRunArn: string, index: number, claimed = false): Promise<boolean> {
    const db = await this.access.db();
    // A claimed EXPRESS child (no execution row) is aborted in its row: its node's end is then not written.
    const changed = await db.run(
      `UPDATE ${this.t.mapRunChildren} SET status = 'ABORTED', lease_owner = NULL, lease_until = 0, body = jsonb_set(body::jsonb, '{status}', '"ABORTED"')::text
       WHERE map_run_arn = $1 AND idx = $2 AND (status = 'PENDING' OR ($3 AND status = 'RUNNING' AND execution_arn IS NULL))`,
      mapRunArn, index, claimed,
    );
    return changed > 0;
  }

  async endMapRunChildren(owner: string, children: readonly MapRunChildRecord[]): Promise<void> {
    if (children.length === 0) return;
    // Committed without waiting for the disk, as claims: an end lost with a crash of the database leaves the child
    // RUNNING under a lease that runs out, and it runs again (at least once, as Express children run on AWS).
    await this.access.transaction(async (db) => {
    await db.run("SET LOCAL synchronous_commit = off");
    // One statement for a batch of ends; the Map Runs' nodes are told at once ("MAP_RUN_ARN NODE" on the channel of
    // ended executions; their fallback: polling).
    await db.run(
      `WITH ended AS (
         UPDATE ${this.t.mapRunChildren} AS c SET status = x.status, body = x.body, lease_owner = NULL, lease_until = 0
         FROM unnest($2::text[], $3::int[], $4::text[], $5::text[]) AS x(map_run_arn, idx, status, body)
         WHERE c.map_run_arn = x.map_run_arn AND c.idx = x.idx AND c.status = 'RUNNING' AND c.lease_owner = $1
         RETURNING c.map_run_arn)
       SELECT pg_notify($6, arn || ' ' || $1) FROM (SELECT DISTINCT map_run_arn AS arn FROM ended) AS runs`,
      owner,
      children.map((c) => c.mapRunArn),
      children.map((c) => c.index),
      children.map((c) => c.status),
      children.map((c) => JSON.stringify(c)),
      this.t.endedChannel,
    );
    });
  }

  async endedMapRunChildren(mapRunArn: string, indexes: readonly number[]): Promise<MapRunChildRecord[]> {
    if (indexes.length === 0) return [];
    const db = await this.access.db();
    return parseBodies(
      await db.all(
        `SELECT body FROM ${this.t.mapRunChildren} WHERE map_run_arn = $1 AND idx = ANY($2::int[]) AND status NOT IN ('PENDING', 'RUNNING')`,
        mapRunArn, [...indexes],
      ),
    );
  }

  async renewMapRunChildLeases(owner: string, until: number): Promise<void> {
    const db = await this.access.db();
    await db.run(`UPDATE ${this.t.mapRunChildren} SET lease_until = $2 WHERE lease_owner = $1 AND status = 'RUNNING'`, owner, until);
  }

  async releaseMapRunChildClaims(owner: string): Promise<void> {
    const db = await this.access.db();
    await db.run(
      `UPDATE ${this.t.mapRunChildren} SET status = 'PENDING', lease_owner = NULL, lease_until = 0, body = jsonb_set(body::jsonb, '{status}', '"PENDING"')::text
       WHERE lease_owner = $1 AND status = 'RUNNING'`,
      owner,
    );
  }

  async mapRunOfChild(executionArn: string): Promise<string | undefined> {
    const db = await this.access.db();
    const row = await db.get(`SELECT map_run_arn FROM ${this.t.mapRunChildren} WHERE execution_arn = $1`, executionArn);
    return row === undefined ? undefined : String(row["map_run_arn"]);
  }
}
